"""A forecast file's ``scheme:`` is followed only from the forecast file's own folder (review
of issue 13): an absolute path, or one that climbs out with ``..``, is refused with the
problem table (file, field, value, fix), exit code 2, and no report is written. A scheme
given on the command line (``--scheme``) is the person's own path and is read as given."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wholeplace.cli import app

DATA = Path(str(resources.files("wholeplace") / "data" / "sharing"))
SCHEME = DATA / "troubled_families_2012.yaml"
FORECAST = (DATA / "pbr_forecast_example.yaml").read_text(encoding="utf-8")
NAMED = "scheme: troubled_families_2012.yaml"


def _forecast(tmp_path: Path, scheme: str) -> Path:
    """The shipped forecast in ``tmp_path/work``, naming ``scheme``; a real scheme is put
    both beside it and one folder up, so only the rule on paths can refuse it."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(SCHEME, work / SCHEME.name)
    shutil.copy(SCHEME, tmp_path / SCHEME.name)
    (work / "sub").mkdir()
    shutil.copy(SCHEME, work / "sub" / SCHEME.name)
    assert NAMED in FORECAST
    f = work / "forecast.yaml"
    f.write_text(FORECAST.replace(NAMED, f"scheme: '{scheme}'"), encoding="utf-8")
    return f


def _run(f: Path, *extra: str) -> tuple[int, str]:
    res = CliRunner().invoke(
        app, ["sharing", "pbr", "forecast", str(f), *extra], catch_exceptions=False
    )
    return res.exit_code, res.output


@pytest.mark.parametrize(
    ("scheme", "why"),
    [
        (str(SCHEME), "an absolute path"),
        ("{up}", "an absolute path"),
        ("../troubled_families_2012.yaml", "leaves the file's folder"),
        ("sub/../../troubled_families_2012.yaml", "leaves the file's folder"),
        ("..\\troubled_families_2012.yaml", "leaves the file's folder"),
        ("C:\\schemes\\troubled_families_2012.yaml", "an absolute path"),
    ],
)
def test_a_scheme_outside_the_forecasts_folder_is_refused(
    tmp_path: Path, scheme: str, why: str
) -> None:
    scheme = scheme.replace("{up}", str(tmp_path / SCHEME.name))
    f = _forecast(tmp_path, scheme)
    out = tmp_path / "work" / "forecast.html"
    code, text = _run(f, "--json", "--out", str(out))
    assert code == 2, text
    (problem,) = json.loads(text)["problems"]
    assert problem["file"] == "forecast.yaml"
    assert problem["column"] == "scheme"
    assert problem["value"] == scheme
    assert why in problem["message"]
    assert "from the forecast file's folder" in problem["fix"]
    assert not out.exists()
    # and for people: the problem table, no traceback
    code, text = _run(f)
    assert code == 2 and "Traceback" not in text
    assert "nothing was written" in text and "--scheme FILE" in text


@pytest.mark.parametrize(
    "scheme", ["troubled_families_2012.yaml", "sub/troubled_families_2012.yaml"]
)
def test_a_scheme_from_the_forecasts_folder_is_read(tmp_path: Path, scheme: str) -> None:
    f = _forecast(tmp_path, scheme)
    code, text = _run(f, "--json")
    assert code == 0, text
    # 200 families in 2012/13 × £370 (central scenario), as docs/sharing.md works out
    years = json.loads(text)["scenarios"]["central"]["years"]
    assert str(years[1]["results_income"]) == "74000.00"


def test_the_command_lines_scheme_is_read_as_given(tmp_path: Path) -> None:
    f = _forecast(tmp_path, "/nowhere/scheme.yaml")
    code, text = _run(f, "--json", "--scheme", str(SCHEME))
    assert code == 0, text
