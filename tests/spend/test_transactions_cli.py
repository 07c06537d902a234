"""`wholeplace spend import-transactions` and `spend suppliers` at the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from wholeplace.cli import app
from wholeplace.partners import Partner, upsert
from wholeplace.workspace import Workspace

HYN = "spend-over-500/hyndburn-raw"


def make_place(tmp_path: Path) -> Path:
    ws = Workspace.create(tmp_path / "place", "Hyndburn and Lancashire")
    with ws.write("test"):
        upsert(
            ws,
            [
                Partner("hbc", "Hyndburn Borough Council", "district", "Districts", "LG"),
                Partner("lcc", "Lancashire County Council", "county council", "County", "LG"),
            ],
        )
    ws.close()
    return tmp_path / "place"


def run(*args: str) -> tuple[int, str]:
    out = CliRunner().invoke(app, list(args))
    return out.exit_code, out.output


def test_import_then_duplicate_then_suppliers(tmp_path: Path, reference: Path) -> None:
    w = str(make_place(tmp_path))
    f = str(reference / HYN / "hyndburn_2025-03_March-25-CSV.csv")
    code, out = run("spend", "import-transactions", f, "--partner", "hbc", "-w", w, "--json")
    assert code == 0, out
    (res,) = json.loads(out)
    assert res["status"] == "imported" and res["rows"] == 888
    assert res["skipped"] == {"repeated header": [983]}
    code, out = run("spend", "import-transactions", f, "--partner", "hbc", "-w", w)
    assert code == 0 and "skipped: the same file" in out
    code, out = run("spend", "suppliers", "-w", w, "--json", "--top", "3")
    assert code == 0, out
    data = json.loads(out)
    assert len(data["suppliers"]) == 3
    amounts = [float(s["amount_gbp"]) for s in data["suppliers"]]
    assert amounts == sorted(amounts, reverse=True)
    # Hyndburn pays Lancashire County Council (recognised by name, "(Direct Debit ...)"
    # variants are not the county's name and are not matched)
    assert {(b["payer"], b["payee"]) for b in data["between_partners"]} == {("hbc", "lcc")}


def test_errors_exit_2_with_the_line(tmp_path: Path) -> None:
    w = str(make_place(tmp_path))
    bad = tmp_path / "bad.csv"
    bad.write_text("Supplier Name,Payment Date,Net Amount\nA,01/04/2024,abc\n", encoding="utf-8")
    code, out = run("spend", "import-transactions", str(bad), "--partner", "hbc", "-w", w, "--json")
    assert code == 2
    (p,) = json.loads(out)["problems"]
    assert (p["row"], p["column"], p["value"]) == (2, "amount", "abc")
    code, out = run("spend", "import-transactions", str(bad), "--partner", "zzz", "-w", w)
    assert code == 2 and "zzz" in out
    code, out = run("spend", "map", "--engine", "oracle", "-w", w)
    assert code == 2


def test_national_file_needs_no_partner_option(tmp_path: Path) -> None:
    w = str(make_place(tmp_path))
    f = tmp_path / "national.csv"
    f.write_text(
        "Partner,Payment Date,Net Amount,Supplier Name,Service Area\n"
        "hbc,01/05/2024,100.00,Acme Ltd,Adult Social Care\n"
        "lcc,02/05/2024,250.00,Hyndburn Borough Council,Adult Social Care\n"
        "zzz,03/05/2024,1.00,Acme Ltd,Adult Social Care\n",
        encoding="utf-8",
    )
    code, out = run("spend", "import-transactions", str(f), "-w", w)
    # every row says whose payment it is; an unknown one is named by its line
    assert code != 0 and "national.csv" in out and "4" in out and "zzz" in out
    f.write_text(f.read_text(encoding="utf-8").rsplit("zzz", 1)[0], encoding="utf-8")
    code, out = run("spend", "import-transactions", str(f), "-w", w)
    assert code == 0, out
    assert "2 payments, £350.00" in out
    assert "paid to other partners of the place: £250.00" in out
    code, out = run("spend", "map", "--year", "2024/25", "--by", "partner", "-w", w, "--json")
    m = json.loads(out)
    assert (m["total_gbp"], m["eliminated_gbp"]) == ("100.00", "250.00")
    # a file without a partner column still needs --partner
    g = tmp_path / "one.csv"
    g.write_text("Payment Date,Net Amount,Supplier Name\n01/05/2024,5.00,Acme\n", "utf-8")
    code, out = run("spend", "import-transactions", str(g), "-w", w)
    assert code != 0 and "--partner" in out
