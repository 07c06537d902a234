from __future__ import annotations

from pathlib import Path

import pytest

from wholeplace.errors import WholeplaceError
from wholeplace.reports.writers import writer_for


def _html(p: Path) -> str:
    return f"html:{p.name}"


def _xlsx(p: Path) -> str:
    return f"xlsx:{p.name}"


WRITERS = {".html": _html, ".xlsx": _xlsx}


def test_picks_the_writer_by_suffix_whatever_its_case() -> None:
    assert writer_for(Path("r.html"), WRITERS, "the spend report") is _html
    assert writer_for("R.XLSX", WRITERS, "the spend report") is _xlsx
    assert writer_for(Path("a.b/r.Html"), WRITERS, "the spend report") is _html


def test_keys_in_any_case_match_too() -> None:
    assert writer_for("r.xlsx", {".XLSX": _xlsx}, "x") is _xlsx


def test_htm_is_taken_as_html_by_every_report() -> None:
    assert writer_for("r.htm", WRITERS, "the sharing report") is _html
    assert writer_for("R.HTM", WRITERS, "the appraisal report") is _html
    with pytest.raises(WholeplaceError):
        writer_for("r.htm", {".xlsx": _xlsx}, "a workbook-only export")


def test_one_message_naming_the_suffix_and_the_choices() -> None:
    with pytest.raises(WholeplaceError) as e:
        writer_for(Path("out/r.pdf"), WRITERS, "the spend report")
    assert str(e.value) == "Cannot write the spend report as '.pdf': use one of .html, .xlsx"


def test_no_suffix_at_all() -> None:
    with pytest.raises(WholeplaceError) as e:
        writer_for("report", WRITERS, "the CBA report")
    assert str(e.value) == "Cannot write the CBA report as '': use one of .html, .xlsx"
