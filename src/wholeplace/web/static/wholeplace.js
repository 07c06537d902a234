// wholeplace's only script: start GOV.UK Frontend's components, draw the page's chart.
// No inline script anywhere (the pages' Content-Security-Policy forbids it).
import { initAll } from "/static/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported", "js-enabled");
initAll();

function drawChart() {
  const holder = document.getElementById("chart");
  const source = document.getElementById("chart-data");
  if (!holder || !source || !window.Plotly) return;
  const chart = JSON.parse(source.textContent);
  // Numbers to draw only: the table under every chart shows exact pounds. A chart with
  // "series" stacks one bar a series (a partner, in the palette's colour given with it).
  const traces = chart.series
    ? chart.series.map((s) => ({
        type: "bar", orientation: "h", name: s.name, x: s.values.map(Number), y: chart.labels,
        marker: { color: s.colour }, hovertemplate: "%{y}, " + "%{fullData.name}: £%{x:,.2f}<extra></extra>",
      }))
    : [{ type: "bar", orientation: "h", x: chart.values.map(Number), y: chart.labels, hovertemplate: "%{y}: £%{x:,.2f}<extra></extra>" }];
  window.Plotly.newPlot(
    holder,
    traces,
    {
      title: { text: chart.title }, margin: { l: 220 }, barmode: chart.series ? "stack" : undefined,
      yaxis: { autorange: "reversed" }, xaxis: { title: { text: "£" } },
    },
    { responsive: true, displaylogo: false },
  );
  holder.dataset.drawn = "yes";
}

if (document.readyState === "complete") drawChart();
else window.addEventListener("load", drawChart);
