"""Issue 10, "finer services": an authority's outturn to the sub-divisions of the taxonomy.

Expected figures are read from the published JSON here with plain ``json`` (by form, line and
field), or summed by hand in the test, never taken from the importer under test.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.engine import duckdb_tables
from wholeplace.errors import InputError
from wholeplace.partners import Partner, upsert
from wholeplace.spend.consolidate import consolidate
from wholeplace.spend.outturn_detail import import_outturn_detail
from wholeplace.spend.taxonomy import ServiceMapping, services
from wholeplace.spend.transactions.mapping import TransactionMapping, read_transaction_mapping
from wholeplace.workspace import Workspace

D = Decimal
BURNLEY = "revenue-outturn-lancashire-json/burnley_budgets_govuk.json"
runner = CliRunner()


@pytest.fixture
def place(ws: Workspace) -> Workspace:
    with ws.write("test partners"):
        upsert(ws, [Partner("bbc", "Burnley Borough Council", "district", "Districts", "LG")])
    return ws


def rsx_k(doc: dict, year: str, line: str, field: str = "net_current_expenditure") -> D:
    cell = doc["by_year"][year]["detailed_services"]["RSX"]["services"][line][field]
    return D(str(cell["value_thousands"]))


def test_burnley_adds_up_to_its_published_total_and_each_division(
    place: Workspace, reference: Path
) -> None:
    path = reference / BURNLEY
    doc = json.loads(path.read_text(encoding="utf-8"))
    res = import_outturn_detail(place, path, partner="bbc")
    assert res.year == "2024/25"  # the only year the file itemises
    # SOURCES.md: "2024-25 TSE (£k) ... Burnley 18,993"
    assert res.written.total_gbp == D("18993000.00")
    assert rsx_k(doc, "2024-25", "Total Service Expenditure") == D("18993")
    by_division = consolidate(duckdb_tables(place), "2024/25", "division")
    published = {
        "HSG": "Housing services (GFRA only)",
        "CUL": "Cultural and related services",
        "ENV": "Environmental and regulatory services",
        "PLN": "Planning and development services",
        "CEN": "Central services",
        "HTS": "Highways and transport services",
    }
    got = {r.key: r.amount_gbp for r in by_division.rows}
    for code, line in published.items():
        assert got[code] == rsx_k(doc, "2024-25", line) * 1000, code


def test_burnley_planning_is_itemised_line_by_line(place: Workspace, reference: Path) -> None:
    import_outturn_detail(place, reference / BURNLEY, partner="bbc")
    m = consolidate(duckdb_tables(place), "2024/25", "service")
    got = {r.key: r.amount_gbp for r in m.rows}
    # RO5 2024-25, net current expenditure, £ thousand (burnley_budgets_govuk.json):
    # building control 171; development control 666; conservation 0 + other planning
    # policy 217 + environmental initiatives 9; economic development 2,545 + research 0 +
    # business support -782; community development and safety 539. Sum 3,365 = RSX.
    assert got["PLN.BUILDING"] == D("171000.00")
    assert got["PLN.DEVELOPMENT"] == D("666000.00")
    assert got["PLN.POLICY"] == D("226000.00")
    assert got["PLN.ECONOMIC"] == D("1763000.00")
    assert got["PLN.COMMUNITY"] == D("539000.00")
    assert "PLN" not in got  # nothing left unitemised
    # waste: collection 972 + disposal 0 + trade waste -159 + recycling 800 + minimisation 0
    assert got["ENV.WASTE"] == D("1613000.00")
    # homelessness: the form's subtotal (651), its lines being empty in this file
    assert got["HSG.HOMELESS"] == D("651000.00")


def test_the_unitemised_rest_stays_on_the_division(place: Workspace, reference: Path) -> None:
    res = import_outturn_detail(place, reference / BURNLEY, partner="bbc")
    cul = next(d for d in res.divisions if d.code == "CUL")
    # cultural: 5,281 published; itemised: arts 2 + community centres 51 + sports
    # development -2 (the other lines are 0 or empty) = 51
    assert (cul.published_gbp, cul.itemised_gbp, cul.not_itemised_gbp) == (
        D("5281000.00"),
        D("51000.00"),
        D("5230000.00"),
    )
    rest = place.con.execute(
        "SELECT amount_gbp, source_service FROM spend_lines WHERE service = 'CUL'"
    ).fetchall()
    assert rest == [
        (D("5230000.00"), "Cultural and related services: not itemised in the RO lines")
    ]


def test_income_gives_gross_and_net(place: Workspace, reference: Path) -> None:
    path = reference / BURNLEY
    doc = json.loads(path.read_text(encoding="utf-8"))
    import_outturn_detail(place, path, partner="bbc")
    income = place.con.execute("SELECT sum(amount_gbp) FROM spend_income").fetchone()[0]
    lines = [k for k in doc["by_year"]["2024-25"]["detailed_services"]["RSX"]["services"]]
    divisions = [k for k in lines if k != "Total Service Expenditure"]
    fees = sum(rsx_k(doc, "2024-25", k, "sales_fees_charges") for k in divisions)
    other = sum(rsx_k(doc, "2024-25", k, "other_income") for k in divisions)
    assert income == (fees + other) * 1000
    # gross = net + income: the return's total expenditure, 52,811
    assert (
        D("18993000.00") + income
        == rsx_k(doc, "2024-25", "Total Service Expenditure", "total_expenditure") * 1000
    )


def write(tmp_path: Path, doc: object) -> Path:
    f = tmp_path / "authority.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    return f


def cell(k: float | None) -> dict:
    return {"value_thousands": k}


def small(env: float, waste: float | str, cleansing: float | None, subtotal: float | None) -> dict:
    """A made-up return: ENV published as ``env``; two RO5 lines; RO4 homelessness."""
    return {
        "by_year": {
            "2023-24": {
                "detailed_services": {
                    "RSX": {
                        "services": {
                            "Environmental and regulatory services": {
                                "net_current_expenditure": cell(env)
                            },
                            "Housing services (GFRA only)": {"net_current_expenditure": cell(10)},
                        }
                    },
                    "RO5": {
                        "services": {
                            "Waste collection": {"net_current_expenditure": cell(waste)},  # type: ignore[arg-type]
                            "Street cleansing (not chargeable to highways)": {
                                "net_current_expenditure": cell(cleansing)
                            },
                        }
                    },
                    "RO4": {
                        "services": {
                            "Bed and breakfast hotels": {"net_current_expenditure": cell(3)},
                            "TOTAL HOMELESSNESS SERVICES": {
                                "net_current_expenditure": cell(subtotal)
                            },
                        }
                    },
                }
            }
        }
    }


def test_a_made_up_return_by_hand(place: Workspace, tmp_path: Path) -> None:
    res = import_outturn_detail(place, write(tmp_path, small(100.5, 60.25, None, 7)), partner="bbc")
    rows = dict(
        place.con.execute("SELECT service, amount_gbp FROM spend_lines ORDER BY service").fetchall()
    )
    # ENV 100.5k: waste 60.25k itemised, cleansing empty -> 40.25k not itemised;
    # HSG 10k: the homelessness subtotal 7k wins over its one line (3k) -> 3k not itemised
    assert rows == {
        "ENV": D("40250.00"),
        "ENV.WASTE": D("60250.00"),
        "HSG": D("3000.00"),
        "HSG.HOMELESS": D("7000.00"),
    }
    assert res.year == "2023/24" and res.written.total_gbp == D("110500.00")


def test_bad_values_are_refused_naming_the_line_and_nothing_written(
    place: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(InputError) as err:
        import_outturn_detail(place, write(tmp_path, small(100, "lots", 1, 7)), partner="bbc")
    [p] = err.value.problems
    assert "RO5.services.Waste collection.net_current_expenditure" in (p.column or "")
    assert p.value == "lots"
    assert place.con.execute("SELECT count(*) FROM spend_lines").fetchone() == (0,)


def test_unknown_partner_and_year_are_one_problem_each(place: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path, small(1, 1, 1, 1))
    with pytest.raises(InputError) as err:
        import_outturn_detail(place, f, partner="nobody")
    assert [p.message for p in err.value.problems] == ["not a partner of this place"]
    with pytest.raises(InputError) as err:
        import_outturn_detail(place, f, partner="bbc", year="2019/20")
    [p] = err.value.problems
    assert p.message == "the file has no such year" and "2023-24" in p.fix


def test_command_line_json_and_a_file_that_is_not_json(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    assert (
        runner.invoke(app, ["init", str(folder), "--name", "X", "--population", "1000"]).exit_code
        == 0
    )
    add = ["partners", "add", "--id", "bbc", "--name", "B", "--type", "district"]
    assert (
        runner.invoke(app, [*add, "--group", "D", "--sector", "LG", "-w", str(folder)]).exit_code
        == 0
    )
    f = write(tmp_path, small(100.5, 60.25, None, 7))
    res = runner.invoke(
        app,
        ["spend", "import-outturn-detail", str(f), "--partner", "bbc", "--json", "-w", str(folder)],
    )
    assert res.exit_code == 0, res.output
    env = next(d for d in json.loads(res.stdout)["divisions"] if d["service"] == "ENV")
    assert env == {
        "service": "ENV",
        "published_gbp": "100500.00",
        "itemised_gbp": "60250.00",
        "not_itemised_gbp": "40250.00",
    }
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe{not json")
    res = runner.invoke(
        app,
        [
            "spend",
            "import-outturn-detail",
            str(junk),
            "--partner",
            "bbc",
            "--json",
            "-w",
            str(folder),
        ],
    )
    assert res.exit_code == 2, res.output
    assert json.loads(res.stdout)["problems"][0]["message"].startswith("not JSON")


def test_sub_divisions_hang_from_their_division_and_ro_names_resolve() -> None:
    tax = services()
    subs = [s for s in tax.values() if s.division_code != s.code]
    assert {s.division_code for s in subs} >= {"HSG", "CUL", "ENV", "PLN", "CEN", "ASC", "CSC"}
    for s in subs:
        top = tax[s.division_code]
        assert top.division_code == top.code and s.division == top.division, s.code
        assert s.source and s.year == "2024/25", s.code
    names = ServiceMapping.empty()
    assert names.resolve("any", "Waste collection") == "ENV.WASTE"
    assert names.resolve("any", "Corporate and Democratic Core") == "CEN.DEMOCRATIC"
    assert names.resolve("any", "TOTAL HOMELESSNESS SERVICES") == "HSG.HOMELESS"


def test_transactions_map_to_a_sub_division_through_their_expense_type(tmp_path: Path) -> None:
    f = tmp_path / "mapping.csv"
    f.write_text(
        "department,service_area,expense_type,service\n"
        "Environment,,Refuse freighter hire,ENV.WASTE\n"
        "Environment,,,ENV\n",
        encoding="utf-8",
    )
    m = read_transaction_mapping(f)
    hire = {
        "department": "Environment",
        "service_area": "Depot",
        "expense_type": "Refuse freighter hire",
    }
    assert m.resolve(hire)[0] == "ENV.WASTE"
    assert m.resolve({**hire, "expense_type": "Stationery"})[0] == "ENV"
    # a published RO line name as the service area maps without a rule
    assert (
        TransactionMapping.empty().resolve(
            {"service_area": "Street cleansing (not chargeable to highways)"}
        )[0]
        == "ENV.STREET"
    )
