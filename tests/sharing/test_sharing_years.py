"""Financial years: input in either form (2024-25 or 2024/25) gives the same result, and all
output writes the one label 2024/25 (issue 9)."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
import yaml

from wholeplace import sharing
from wholeplace.errors import InputError
from wholeplace.sharing.pooled_budget import parse_pool

DATA = Path(str(resources.files("wholeplace") / "data" / "sharing"))
DASHED = re.compile(r"\b(20\d\d)-(\d\d)\b(?!-)")


def slashed(text: str) -> str:
    """The same file with every financial year written 2024/25 instead of 2024-25."""
    return DASHED.sub(r"\1/\2", text)


def copy_slashed(name: str, folder: Path) -> Path:
    out = folder / name
    out.write_text(slashed((DATA / name).read_text(encoding="utf-8")), encoding="utf-8")
    return out


def test_the_examples_are_written_with_dashes():
    # So the tests below really compare two spellings.
    for name in ("pool_example.yaml", "gainshare_example.yaml", "pbr_forecast_example.yaml"):
        assert DASHED.search((DATA / name).read_text(encoding="utf-8")), name


def test_pool_either_form(tmp_path):
    a = sharing.pool(DATA / "pool_example.yaml").to_json()
    b = sharing.pool(copy_slashed("pool_example.yaml", tmp_path)).to_json()
    assert a == b
    assert [y["year"] for y in a["years"]] == ["2024/25", "2025/26"]


def test_pool_years_spelled_differently_in_one_file():
    raw = yaml.safe_load((DATA / "pool_example.yaml").read_text(encoding="utf-8"))
    raw["years"] = ["2024/25", "2025/2026"]  # contributions and outturn still say 2024-25
    mixed = sharing.pool(parse_pool(raw)).to_json()
    assert mixed == sharing.pool(DATA / "pool_example.yaml").to_json()


def test_a_year_given_twice_is_a_problem():
    raw = yaml.safe_load((DATA / "pool_example.yaml").read_text(encoding="utf-8"))
    raw["outturn"]["2024/25"] = 1
    with pytest.raises(InputError) as e:
        parse_pool(raw)
    assert any("given twice" in p.message for p in e.value.problems)


def test_gainshare_either_form(tmp_path):
    a = sharing.gainshare(DATA / "gainshare_example.yaml").to_json()
    b = sharing.gainshare(copy_slashed("gainshare_example.yaml", tmp_path)).to_json()
    assert a == b
    assert a["years"] == ["2025/26", "2026/27", "2027/28", "2028/29"]
    assert list(a["partners"][0]["transfer_by_year"]) == a["years"]


def test_pbr_either_form(tmp_path):
    scheme = copy_slashed("troubled_families_2012.yaml", tmp_path)
    forecast = copy_slashed("pbr_forecast_example.yaml", tmp_path)
    a = sharing.pbr_forecast(DATA / "pbr_forecast_example.yaml").to_json()
    b = sharing.pbr_forecast(forecast, scheme=scheme).to_json()
    assert a == b
    assert list(a["cohort"]) == ["2012/13", "2013/14", "2014/15"]
    assert [y["year"] for y in a["scenarios"]["central"]["years"]][-1] == "2015/16"
    when = date(2015, 3, 31)
    c1 = sharing.pbr_claim(
        DATA / "troubled_families_2012.yaml", DATA / "families_example.csv", as_of=when
    ).to_json()
    c2 = sharing.pbr_claim(scheme, DATA / "families_example.csv", as_of=when).to_json()
    assert c1 == c2
    assert {c["programme_year"] for c in c1["claims"]} == {"2012/13", "2013/14", "2014/15"}


def test_scheme_provenance_keys_are_allowed(tmp_path):
    text = (DATA / "troubled_families_2012.yaml").read_text(encoding="utf-8")
    extra = tmp_path / "scheme.yaml"
    extra.write_text(
        text
        + "edition: March 2012\nlicence: Open Government Licence v3.0\n"
        + "effective_from: 2012-04-01\neffective_to: 2015-03-31\ndescription: as data\n",
        encoding="utf-8",
    )
    when = date(2015, 3, 31)
    fam = DATA / "families_example.csv"
    plain = sharing.pbr_claim(DATA / "troubled_families_2012.yaml", fam, as_of=when)
    assert sharing.pbr_claim(extra, fam, as_of=when).to_json() == plain.to_json()


@pytest.mark.parametrize("year", ["2025-26", "2025/26", "2025/2026"])
def test_recharges_year_either_form(year):
    rc = sharing.recharges(DATA / "staff_example.csv", year=year)
    assert rc.to_json()["year"] == "2025/26"
