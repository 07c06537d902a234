"""``--out FILE.pdf``: reports printed to PDF by headless Chromium (issue 12)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wholeplace.cli import app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DATA = Path(__file__).resolve().parents[2] / "src" / "wholeplace" / "data"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize(
    "args",
    [
        ["cba", "run", str(DATA / "cba" / "example_appraisal.yaml"), "--draws", "500"],
        ["sharing", "gainshare", str(DATA / "sharing" / "gainshare_example.yaml")],
    ],
    ids=["appraisal", "gainshare"],
)
def test_report_prints_to_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]):
    monkeypatch.setenv("WHOLEPLACE_CHROMIUM", CHROMIUM)
    out = tmp_path / "report.pdf"
    res = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert res.exit_code == 0, res.output
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert _pages(pdf) >= 2  # the answer, tables, charts and method do not fit on one A4 page
    assert not list(tmp_path.glob(".*tmp*"))  # written atomically, nothing left behind


def test_no_chromium_is_the_problem_table_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHOLEPLACE_CHROMIUM", str(tmp_path / "no-such-browser"))
    out = tmp_path / "report.pdf"
    res = CliRunner().invoke(
        app,
        ["sharing", "gainshare", str(DATA / "sharing" / "gainshare_example.yaml"), "-o", str(out)],
    )
    assert res.exit_code == 2 and "Chromium" in res.output
    assert not out.exists()
