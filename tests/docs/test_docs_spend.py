"""docs/spend.md's worked example, run for real and compared with the numbers it prints."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from wholeplace.engine import duckdb_tables
from wholeplace.partners import import_partners
from wholeplace.spend import consolidate, import_spend
from wholeplace.workspace import Workspace

DOC = Path(__file__).resolve().parents[2] / "docs" / "spend.md"


def doc_files(text: str) -> dict[str, str]:
    found = re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", text, re.S)
    return dict(found)


def money(s: str) -> Decimal:
    return Decimal(s.replace("*", "").replace(",", "").replace("£", "").strip())


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_worked_example_matches_doc(doc: str, tmp_path: Path) -> None:
    files = doc_files(doc)
    assert set(files) == {"partners.csv", "spend-2024-25.csv"}
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    ws = Workspace.create(tmp_path / "valeshire", "Valeshire", population=1_100_000)
    import_partners(ws, tmp_path / "partners.csv")
    import_spend(ws, tmp_path / "spend-2024-25.csv")
    m = consolidate(duckdb_tables(ws), "2024/25", "group", population=1_100_000)

    table = doc.split("<!-- expect: by group -->")[1].split("\n\n")[0]
    rows = [
        [c.strip() for c in line.strip("|").split("|")] for line in table.strip().splitlines()[2:]
    ]
    body, total = rows[:-1], rows[-1]
    assert [(r[0], money(r[1]), r[2], money(r[3])) for r in body] == [
        (r.label, r.amount_gbp, f"{r.share:.1%}", r.per_head_gbp) for r in m.rows
    ]
    assert money(total[1]) == m.total_gbp
    assert money(total[3]) == m.per_head_gbp

    rec = doc.split("<!-- expect: reconciliation -->")[1].split("\n\n")[0]
    figures = [money(x) for x in re.findall(r"£([\d,]+\.\d\d)", rec)]
    assert figures == [
        m.reconciliation.imported_gbp,
        m.reconciliation.consolidated_gbp,
        m.reconciliation.eliminated_gbp,
        m.estimated_gbp,
    ]
    assert m.reconciliation.holds
    ws.close()
