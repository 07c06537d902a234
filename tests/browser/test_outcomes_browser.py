"""The outcomes reports in headless Chromium: hostile text in every free-text field of the
framework runs nothing and makes no element, and Plotly draws every trend chart offline."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from outcomes_example import cli, cli_json, make_example

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]

RUN = "document.body.setAttribute('data-'+'pwned','{}')"
TAG = '<img src=x onerror="' + RUN.format("tag") + '">'
SCRIPT = "</script><script>" + RUN.format("script") + "</script>"
ATTR = 'x" autofocus onfocus="' + RUN.format("attr") + '" y="'


def rendered(tmp_path: Path, page: Path) -> str:
    return subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            "--virtual-time-budget=3000", "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip


def hostile(text: str) -> str:
    """The page's framework with a payload in every free-text field a report shows."""
    for field, key, payload in (
        ("title: Families are safe at home", "title", TAG),
        ("name: Repeat domestic abuse call-outs", "name", SCRIPT),
        ("source: Riverton Police incident system", "source", ATTR),
        ("unit: per 1,000 households", "unit", TAG),
        ("name: Early help family support", "name", SCRIPT),
        ("description: Parents into work\n    gross", "description", ATTR),
        ("description: Children feel safer at home", "description", TAG),
        ("stakeholder: Children", "stakeholder", SCRIPT),
    ):
        assert field in text, field
        # JSON's double-quoted string is YAML too, whatever quotes the payload holds
        rest = "\n    gross" if field.endswith("gross") else ""
        text = text.replace(field, f"{key}: {json.dumps(payload)}{rest}", 1)
    return text


@pytest.mark.parametrize("public", [False, True])
def test_hostile_text_runs_nothing_and_every_chart_is_drawn(tmp_path: Path, public: bool) -> None:
    w, folder = make_example(tmp_path)
    yaml_file = folder / "outcomes.yaml"
    yaml_file.write_text(hostile(yaml_file.read_text(encoding="utf-8")), encoding="utf-8")
    cli_json("outcomes", "import-framework", str(yaml_file), "-w", w)
    cli_json("outcomes", "import-data", str(folder / "data.csv"), "--dataset", "q2", "-w", w)
    cli_json("outcomes", "review", "q2", "--by", "A", "-w", w)
    cli_json("outcomes", "approve", "q2", "--by", "B", "--exception", "why", "-w", w)
    out = folder / "report.html"
    args = ["outcomes", "report", "--out", str(out), "-w", w] + (["--public"] if public else [])
    assert cli(*args).exit_code == 0
    dom = rendered(tmp_path, out)
    assert "data-pwned" not in dom
    assert "'pwned'" in dom  # the payloads reached the page, as text
    assert "<img" not in dom
    # Plotly drew its SVG in every chart: one in public (the outcome's indicator), four inside
    charts = 1 if public else 4
    assert dom.count('class="main-svg"') >= charts
    assert dom.count('<figure class="trend">') == charts
