"""Links (docs/outcomes.md, "Links"): the partners' spend lines and the appraisal outcome lines
behind an outcome, checked on import, and their figures in the report against the page's hand
calculation."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from outcomes_example import DOC, cli, cli_json
from test_outcomes_workbook import page_as_workbook

from wholeplace.money import fmt_gbp


def expect_table(name: str) -> list[list[str]]:
    text = DOC.read_text(encoding="utf-8").split(f"<!-- expect: {name} -->\n")[1]
    lines = text.split("\n\n")[0].strip().splitlines()[2:]
    return [[c.strip() for c in line.strip("|").split("|")] for line in lines]


def snippet() -> str:
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- snippet: links -->\n```yaml\n(.*?)```", text, re.S)
    assert found is not None
    return found.group(1)


def linked(folder: Path, extra: str | None = None) -> Path:
    """outcomes.yaml with the page's links added under safe-families' partners."""
    text = (folder / "outcomes.yaml").read_text(encoding="utf-8")
    add = snippet() if extra is None else extra
    out = folder / "linked.yaml"
    out.write_text(
        text.replace("    partners: [cc, police]\n", "    partners: [cc, police]\n" + add),
        encoding="utf-8",
    )
    return out


def test_the_links_of_the_worked_example_match_the_page(example: tuple[str, Path]) -> None:
    w, folder = example
    assert cli("spend", "import", str(folder / "spend.csv"), "-w", w).exit_code == 0
    cli_json("outcomes", "import-framework", str(linked(folder)), "-w", w)
    outcome = cli_json("outcomes", "report", "-w", w)["outcomes"][0]
    spend = outcome["contribution_spend"]
    # by hand (the page): cc CSC 600,000 + 900,000 (the 100,000 paid to police is taken out);
    # police's Families lines 250,000.50; cc's families lines 600,000, already in its CSC
    assert spend["year"] == "2024/25"
    assert [x["amount"] for x in spend["lines"]] == ["1500000.00", "250000.50", "600000.00"]
    assert spend["total"] == "1750000.50"
    page = expect_table("contributions")
    assert [r[2] for r in page[:-1]] == [fmt_gbp(Decimal(x["amount"])) for x in spend["lines"]]
    assert [[r[0], r[1]] for r in page[:-1]] == [
        [
            x["partner"],
            f"service {x['service']}" if x["service"] else f"customer group {x['customer_group']}",
        ]
        for x in spend["lines"]
    ]
    assert page[-1][2] == fmt_gbp(Decimal(spend["total"])) == "£1,750,000.50"

    (value,) = outcome["appraisal_values"]
    # by hand: 100 x 1 x 0.4 x (1 - 0.25) = 30 outcomes; £500 each in two years, grade 1 (no
    # optimism bias): 15,000 + 15,000 / 1.035 = 29,492.7536... -> 29,492.75
    assert Decimal(value["net_outcomes"]) == 30
    assert value["present_value"] == "29492.75"
    assert Decimal(15000) + Decimal(15000) / Decimal("1.035") < Decimal("29492.755")
    [[name, line, people, pv]] = expect_table("appraisal")
    assert (name, line) == (value["appraisal_name"], value["line"])
    assert Decimal(people) == Decimal(value["net_outcomes"])
    assert pv == fmt_gbp(Decimal(value["present_value"]))

    html = folder / "o.html"
    assert cli("outcomes", "report", "--out", str(html), "-w", w).exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert "£1,750,000.50" in text and "£29,492.75" in text
    xlsx = folder / "o.xlsx"
    assert cli("outcomes", "report", "--out", str(xlsx), "-w", w).exit_code == 0
    rows = list(load_workbook(xlsx)["Links"].iter_rows(values_only=True))
    assert rows[-2][5] == Decimal("1750000.5") and rows[-1][5] == Decimal("29492.75")


def test_no_spend_yet_shows_no_figures(example: tuple[str, Path]) -> None:
    w, folder = example
    cli_json("outcomes", "import-framework", str(linked(folder)), "-w", w)
    outcome = cli_json("outcomes", "report", "-w", w)["outcomes"][0]
    assert outcome["contribution_spend"] is None
    assert len(outcome["contributions"]) == 3


def problems(folder: Path, w: str, extra: str) -> list[tuple[object, ...]]:
    res = cli("outcomes", "import-framework", str(linked(folder, extra)), "-w", w, "--json")
    assert res.exit_code == 2, res.output
    return [
        (p["sheet"], p["row"], p["column"], p["value"], p["message"], p["fix"])
        for p in json.loads(res.stdout)["problems"]
    ]


def test_unknown_partners_services_and_lines_are_refused_with_the_fix(
    example: tuple[str, Path],
) -> None:
    w, folder = example
    bad = (
        "    contributions:\n"
        "      - {partner: fire, customer_group: Families}\n"
        "      - {partner: cc, service: XYZ}\n"
        "      - {partner: cc}\n"
        "      - {partner: cc, service: CSC, customer_group: Families}\n"
    )
    either = "a contribution names a service or a customer group (one of the two)"
    # the lines go in after line 6 of outcomes.yaml (partners): its items are lines 8 to 11
    assert problems(folder, w, bad) == [
        (
            "contributions",
            8,
            "partner",
            "fire",
            "not a partner of this place",
            "use a partner id (cc, icb, police), or add it with `wholeplace partners add`",
        ),
        (
            "contributions",
            9,
            "service",
            "XYZ",
            "not a service of the spend map",
            "use a service code of `wholeplace spend services`",
        ),
        (
            "contributions",
            10,
            "service",
            None,
            either,
            "give either service: CODE or customer_group: NAME",
        ),
        (
            "contributions",
            11,
            "service",
            None,
            either,
            "give either service: CODE or customer_group: NAME",
        ),
    ]
    wrong = "    appraisal_lines:\n      - {appraisal: early-help-cba.yaml, line: Fewer A&E}\n"
    assert problems(folder, w, wrong) == [
        (
            "appraisal_lines",
            8,
            "line",
            "Fewer A&E",
            "not an outcome line of early-help-cba.yaml",
            "use the description of one of its outcome lines: Fewer repeat call-outs",
        )
    ]
    missing = "    appraisal_lines:\n      - {appraisal: gone.yaml, line: Anything}\n"
    [(_, row, column, value, problem, _)] = problems(folder, w, missing)
    assert (row, column, value, problem) == (
        8,
        "appraisal",
        "gone.yaml",
        "appraisal file not found",
    )
    # nothing written: the framework is still the page's, without links
    outcome = cli_json("outcomes", "report", "-w", w)["outcomes"][0]
    assert outcome["contributions"] == [] and outcome["appraisal_values"] == []


def test_the_links_from_a_workbook(example: tuple[str, Path]) -> None:
    """The same links as sheets "contributions" and "appraisal_lines", one row each."""
    w, folder = example
    book = folder / "framework.xlsx"
    page_as_workbook(book)
    wb = load_workbook(book)
    ws = wb.create_sheet("contributions")
    ws.append(["outcome", "partner", "service", "customer_group"])
    ws.append(["safe-families", "cc", "CSC", None])
    ws.append(["safe-families", "police", None, "Families"])
    ws.append(["safe-families", "cc", None, "families"])
    ws = wb.create_sheet("appraisal_lines")
    ws.append(["outcome", "appraisal", "line"])
    ws.append(["safe-families", "early-help-cba.yaml", "Fewer repeat call-outs"])
    wb.save(book)
    assert cli("spend", "import", str(folder / "spend.csv"), "-w", w).exit_code == 0
    cli_json("outcomes", "import-framework", str(book), "-w", w)
    outcome = cli_json("outcomes", "report", "-w", w)["outcomes"][0]
    assert outcome["contribution_spend"]["total"] == "1750000.50"  # as from the YAML
    assert outcome["appraisal_values"][0]["present_value"] == "29492.75"
    # a bad row is named by its sheet and Excel row
    ws = wb["contributions"]
    ws.append(["safe-families", "cc", "XYZ", None])
    ws.append(["no-such-outcome", "cc", "CSC", None])
    wb.save(book)
    res = cli("outcomes", "import-framework", str(book), "-w", w, "--json")
    assert res.exit_code == 2
    found = [(p["sheet"], p["row"], p["column"]) for p in json.loads(res.stdout)["problems"]]
    assert found == [("contributions", 6, "outcome")]  # the outcome first, then the rest
    ws.delete_rows(6)
    wb.save(book)
    res = cli("outcomes", "import-framework", str(book), "-w", w, "--json")
    found = [(p["sheet"], p["row"], p["value"]) for p in json.loads(res.stdout)["problems"]]
    assert found == [("contributions", 5, "XYZ")]
