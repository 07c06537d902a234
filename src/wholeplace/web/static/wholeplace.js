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
  const values = chart.values.map(Number);  // to draw only: the table shows exact pounds
  window.Plotly.newPlot(
    holder,
    [{ type: "bar", orientation: "h", x: values, y: chart.labels, hovertemplate: "%{y}: £%{x:,.2f}<extra></extra>" }],
    { title: { text: chart.title }, margin: { l: 220 }, yaxis: { autorange: "reversed" }, xaxis: { title: { text: "£" } } },
    { responsive: true, displaylogo: false },
  );
  holder.dataset.drawn = "yes";
}

if (document.readyState === "complete") drawChart();
else window.addEventListener("load", drawChart);
