"""Benchmark: national-scale transaction import and consolidation (issue 3).

Generates N synthetic "spend over £500" payments (default 10 million) for 400 partners
across 300 places, skewed the way real data is (a few big partners and suppliers make
most of the rows; 10% of amounts written with thousands separators, 3% credits, 1% of
payments made to another partner), then measures, each in its own process so that peak
memory is its own:

  (a) wholeplace: `import_transactions` of the file into a workspace (parse and store
      every payment in one pass, validate, map, sum the file's totals, re-build spend
      lines) + `consolidate_views` by place, partner and service for both years, on DuckDB;
  (b) the same aggregation written plainly in pandas (read_csv, parse, map, group);
  (c) the same aggregation hand-written as one DuckDB SQL query over the same file;
  (d) a floor for any design that stores every payment: the file's columns copied as
      text into a table of a DuckDB database file, nothing parsed, checked or summed;
  (e) the fair baseline for an import that keeps payments (issue 9): a hand-written
      DuckDB SQL script that parses, types and stores every payment in a table of a
      DuckDB database file (partner, date, amount as DECIMAL(18,2), supplier and the
      file's mapping fields, as wholeplace stores them), then aggregates from that
      table to the same figures as (a) with (c)'s query.

It prints wall time, rows/s and peak RSS of each, the ratios (b)/(a), (a)/(c), (a)/(d)
and (a)/(e), and checks that (a), (c) and (e) agree to the penny on every place's
consolidated and eliminated totals for both years (pandas to within a penny per place:
it adds floats).

Targets (issue 9, rebasing issue 3's; 2-core 24 GiB machine): (a) <= 1.25x (e) at 10M
rows, measured in the same run; 100M rows import + consolidation < 120 s and < 6 GiB
peak. Issue 3's (a) >= 10x faster than (b) and (a) within 1.5x of (c) are still printed.

pandas is not a wholeplace dependency: install it into the venv to run (b)
(`.venv/bin/pip install pandas`); it is skipped above --pandas-max-rows (it holds every
row in memory as Python strings).

Run: .venv/bin/python benchmarks/spend_scale.py [--rows 10000000] [--dir /tmp/wp-bench]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

PARTNERS = 400
PLACES = 300
SERVICE_AREAS = 40
SERVICES = ["EDU", "HTS", "CSC", "ASC", "PHS", "HSG", "CUL", "ENV", "PLN", "POL", "FIR", "CEN"]
YEARS = ("2023/24", "2024/25")


def cpu_s() -> float:
    """CPU seconds used so far by this process, all its threads (DuckDB's included)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# -- data ------------------------------------------------------------------------------


def generate(folder: Path, rows: int, memory_limit: str) -> None:
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "partners.csv", "w", encoding="utf-8") as f:
        f.write("id,name,type,group,sector\n")
        for i in range(1, PARTNERS + 1):
            place = (i - 1) % PLACES + 1
            f.write(
                f"p{i:03d},Partner {i:03d} Council,unitary,Place {place:03d},Local government\n"
            )
    with open(folder / "mapping.csv", "w", encoding="utf-8") as f:
        f.write("service_area,service\n")
        for i in range(1, SERVICE_AREAS + 1):
            f.write(f"Service area {i:02d},{SERVICES[i % len(SERVICES)]}\n")
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SELECT setseed(0.20261123)")
    con.execute(
        f"""
        COPY (
          WITH r AS (
            SELECT
              least({PARTNERS}, 1 + CAST(floor({PARTNERS} * pow(random(), 2.5)) AS INT)) AS pidx,
              random() AS kind,
              random() AS who,
              random() AS sa,
              CAST(floor(730 * random()) AS INT) AS day,
              round(5 * exp(9 * random()), 2) AS amt
            FROM range({rows})
          )
          SELECT
            printf('p%03d', pidx) AS partner,
            strftime(DATE '2023-04-01' + day, '%d/%m/%Y') AS "Payment Date",
            CASE WHEN kind < 0.03 THEN printf('-%.2f', amt)
                 WHEN kind < 0.13 THEN format('{{:,.2f}}', amt)
                 ELSE printf('%.2f', amt) END AS "Net Amount",
            CASE WHEN who < 0.01
                 -- a payment to another partner: the other council of its place if
                 -- it has one, else one of ten bodies serving several places
                 THEN printf('Partner %03d Council', CASE
                   WHEN pidx <= {PARTNERS - PLACES} THEN pidx + {PLACES}
                   WHEN pidx > {PLACES} THEN pidx - {PLACES}
                   ELSE 1 + (pidx * 7) % 10 END)
                 ELSE printf('Supplier %05d Ltd', CAST(floor(50000 * pow(who, 3)) AS INT))
            END AS "Supplier Name",
            printf('Service area %02d', 1 + CAST(floor({SERVICE_AREAS} * pow(sa, 1.5)) AS INT))
              AS "Service Area",
            'Goods and services' AS "Expense Type"
          FROM r
        ) TO '{folder / "payments.csv"}' (HEADER, DELIMITER ',')
        """
    )
    con.close()


# -- the ways --------------------------------------------------------------------------


def run_wholeplace(folder: Path, memory_limit: str) -> dict:
    from wholeplace.engine import duckdb_tables
    from wholeplace.partners import import_partners
    from wholeplace.spend.consolidate import consolidate_views
    from wholeplace.spend.transactions import import_transactions

    ws_dir = folder / "workspace"
    shutil.rmtree(ws_dir, ignore_errors=True)
    t0, c0 = time.perf_counter(), cpu_s()
    from wholeplace.workspace import Workspace

    ws = Workspace.create(ws_dir, "National benchmark")
    ws.con.execute(f"SET memory_limit = '{memory_limit}'")
    import_partners(ws, folder / "partners.csv")
    (res,) = import_transactions(
        ws, [folder / "payments.csv"], partner=None, mapping=folder / "mapping.csv"
    )
    t1 = time.perf_counter()
    t = duckdb_tables(ws)
    out: dict[str, dict[str, list[str]]] = {}
    for y in YEARS:
        maps = consolidate_views(t, y, ("group", "partner", "service"))
        by_place = maps["group"]
        assert by_place.reconciliation.holds
        elim: dict[str, Decimal] = {}
        for e in by_place.eliminations:
            g = f"Place {(int(e.payer[1:]) - 1) % PLACES + 1:03d}"
            elim[g] = elim.get(g, Decimal(0)) + e.amount_gbp
        out[y] = {
            r.key: [str(r.amount_gbp), str(elim.get(r.key, Decimal("0.00")))] for r in by_place.rows
        }
    t2 = time.perf_counter()
    ws.close()
    return {
        "rows": res.rows,
        "import_s": t1 - t0,
        "consolidate_s": t2 - t1,
        "seconds": t2 - t0,
        "cpu_s": cpu_s() - c0,
        "result": out,
    }


def run_pandas(folder: Path) -> dict:
    import pandas as pd

    t0, c0 = time.perf_counter(), cpu_s()
    partners = pd.read_csv(folder / "partners.csv", dtype=str)
    mapping = pd.read_csv(folder / "mapping.csv", dtype=str)
    df = pd.read_csv(folder / "payments.csv", dtype=str, keep_default_na=False)
    df["date"] = pd.to_datetime(df["Payment Date"], format="%d/%m/%Y")
    df["amount"] = df["Net Amount"].str.replace(",", "", regex=False).astype(float)
    fy = df["date"].dt.year - (df["date"].dt.month < 4).astype(int)
    df["year"] = fy.astype(str) + "/" + ((fy + 1) % 100).astype(str).str.zfill(2)
    df["service"] = df["Service Area"].map(
        dict(zip(mapping.service_area, mapping.service, strict=True))
    )
    name_to_id = dict(zip(partners.name.str.upper(), partners.id, strict=True))
    df["counterparty"] = df["Supplier Name"].str.upper().map(name_to_id)
    df["internal"] = df["counterparty"].notna() & (df["counterparty"] != df["partner"])
    df["place"] = df["partner"].map(dict(zip(partners.id, partners.group, strict=True)))
    g = df.groupby(["year", "place", "internal"])["amount"].sum().unstack(fill_value=0.0)
    out: dict[str, dict[str, list[str]]] = {}
    for (y, place), row in g.iterrows():
        cons = float(row.get(False, 0.0))
        el = float(row.get(True, 0.0))
        out.setdefault(y, {})[place] = [f"{cons:.2f}", f"{el:.2f}"]
    t1 = time.perf_counter()
    return {"rows": len(df), "seconds": t1 - t0, "cpu_s": cpu_s() - c0, "result": out}


# Per place and year: consolidated (paid outside the partners) and eliminated (paid to
# another partner, matched by name); from a CTE `pay` (partner, d, amount, supplier,
# service_area). Shared by (c), which reads the file, and (e), which reads its table.
AGGREGATE_SQL = """
p AS (SELECT id, upper(name) AS uname, "group" AS place FROM read_csv('{partners}', header = true)),
m AS (SELECT * FROM read_csv('{mapping}', header = true))
SELECT
  CAST(year(d) - (month(d) < 4)::INT AS VARCHAR) || '/' ||
    lpad(CAST((year(d) - (month(d) < 4)::INT + 1) % 100 AS VARCHAR), 2, '0') AS year,
  payer.place,
  sum(amount) FILTER (WHERE cp.id IS NULL) AS consolidated,
  coalesce(sum(amount) FILTER (WHERE cp.id IS NOT NULL), 0) AS eliminated,
  count(DISTINCT m.service) AS services
FROM pay
JOIN p AS payer ON payer.id = pay.partner
JOIN m ON m.service_area = pay.service_area
LEFT JOIN p AS cp ON cp.uname = pay.supplier AND cp.id <> pay.partner
GROUP BY ALL
"""

HAND_SQL = (
    """
WITH pay AS (
  SELECT partner,
    strptime("Payment Date", '%d/%m/%Y') AS d,
    CAST(replace("Net Amount", ',', '') AS DECIMAL(18, 2)) AS amount,
    upper("Supplier Name") AS supplier,
    "Service Area" AS service_area
  FROM read_csv('{pay}', header = true, all_varchar = true)
),"""
    + AGGREGATE_SQL
)


def run_sql(folder: Path, memory_limit: str) -> dict:
    import duckdb

    t0, c0 = time.perf_counter(), cpu_s()
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    rows = con.execute(
        HAND_SQL.format(
            pay=folder / "payments.csv",
            partners=folder / "partners.csv",
            mapping=folder / "mapping.csv",
        )
    ).fetchall()
    out: dict[str, dict[str, list[str]]] = {}
    for y, place, cons, el, _ in rows:
        out.setdefault(y, {})[place] = [str(cons or Decimal("0.00")), str(el)]
    t1 = time.perf_counter()
    return {"rows": None, "seconds": t1 - t0, "cpu_s": cpu_s() - c0, "result": out}


def run_store_floor(folder: Path, memory_limit: str) -> dict:
    """(d) What storing the payments costs on its own: the file's columns copied as text
    into a table of a DuckDB database file, with nothing parsed, checked or summed."""
    import duckdb

    db = folder / "floor.duckdb"
    db.unlink(missing_ok=True)
    t0, c0 = time.perf_counter(), cpu_s()
    con = duckdb.connect(str(db))
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute(
        f"CREATE TABLE payments AS SELECT * FROM read_csv('{folder / 'payments.csv'}', "
        "header = true, all_varchar = true)"
    )
    con.close()
    t1 = time.perf_counter()
    db.unlink(missing_ok=True)
    return {"rows": None, "seconds": t1 - t0, "cpu_s": cpu_s() - c0, "result": {}}


# (e): the payments parsed and typed once, stored, then summed from the stored table.
# The stored columns are those wholeplace's `transaction_rows` gets from this file (it
# also has department, description, reference, sheet and line columns, all empty here).
STORE_SQL = """
CREATE TABLE payments (
  partner VARCHAR NOT NULL,
  paid_on DATE NOT NULL,
  amount_gbp DECIMAL(18, 2) NOT NULL,
  supplier VARCHAR,
  service_area VARCHAR,
  expense_type VARCHAR
);
INSERT INTO payments
SELECT partner,
  CAST(strptime("Payment Date", '%d/%m/%Y') AS DATE),
  CAST(replace("Net Amount", ',', '') AS DECIMAL(18, 2)),
  "Supplier Name", "Service Area", "Expense Type"
FROM read_csv('{pay}', header = true, all_varchar = true);
"""

STORED_SQL = (
    """
WITH pay AS (
  SELECT partner, paid_on AS d, amount_gbp AS amount, upper(supplier) AS supplier,
    service_area
  FROM payments
),"""
    + AGGREGATE_SQL
)


def run_stored_sql(folder: Path, memory_limit: str) -> dict:
    """(e) Parse, type and store every payment in a DuckDB database file, then sum the
    stored table to (c)'s figures; closing the database (a checkpoint) is in the time,
    counting the rows (a check, not part of the baseline) is not."""
    import duckdb

    db = folder / "baseline_e.duckdb"
    db.unlink(missing_ok=True)
    t0, c0 = time.perf_counter(), cpu_s()
    con = duckdb.connect(str(db))
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute(STORE_SQL.format(pay=folder / "payments.csv"))
    t1 = time.perf_counter()
    rows = con.execute(
        STORED_SQL.format(partners=folder / "partners.csv", mapping=folder / "mapping.csv")
    ).fetchall()
    out: dict[str, dict[str, list[str]]] = {}
    for y, place, cons, el, _ in rows:
        out.setdefault(y, {})[place] = [str(cons or Decimal("0.00")), str(el)]
    t2 = time.perf_counter()
    (stored,) = con.execute("SELECT count(*) FROM payments").fetchall()[0]
    t3 = time.perf_counter()
    con.close()
    t4 = time.perf_counter()
    db.unlink(missing_ok=True)
    return {
        "rows": stored,
        "store_s": t1 - t0,
        "aggregate_s": t2 - t1,
        "close_s": t4 - t3,
        "seconds": (t2 - t0) + (t4 - t3),
        "cpu_s": cpu_s() - c0,
        "result": out,
    }


# -- harness ---------------------------------------------------------------------------


def phase_in_child(phase: str, folder: Path, memory_limit: str) -> tuple[dict, float]:
    """Run one phase in a fresh process; return its result and its peak RSS in GiB."""
    out = folder / f"{phase}.json"
    proc = subprocess.Popen(
        [sys.executable, __file__, "--phase", phase, "--dir", str(folder)]
        + ["--memory-limit", memory_limit]
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"phase {phase} failed (status {status})")
    return json.loads(out.read_text()), usage.ru_maxrss / (1024 * 1024)  # KiB -> GiB


def agree(a: dict, b: dict, tolerance: Decimal) -> bool:
    for y in YEARS:
        ka, kb = a.get(y, {}), b.get(y, {})
        if set(ka) != set(kb):
            return False
        for place in ka:
            for x, z in zip(ka[place], kb[place], strict=True):
                if abs(Decimal(x) - Decimal(z)) > tolerance:
                    return False
    return True


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/wholeplace-spend-scale"))
    ap.add_argument(
        "--memory-limit", default="4GB", help="DuckDB memory_limit for (a), (c), (d) and (e)"
    )
    ap.add_argument("--pandas-max-rows", type=int, default=20_000_000)
    ap.add_argument("--phase", choices=["a", "b", "c", "d", "e"], help=argparse.SUPPRESS)
    ap.add_argument("--reuse", action="store_true", help="reuse a generated payments.csv")
    args = ap.parse_args()

    if args.phase:
        fn = {
            "a": lambda: run_wholeplace(args.dir, args.memory_limit),
            "b": lambda: run_pandas(args.dir),
            "c": lambda: run_sql(args.dir, args.memory_limit),
            "d": lambda: run_store_floor(args.dir, args.memory_limit),
            "e": lambda: run_stored_sql(args.dir, args.memory_limit),
        }[args.phase]
        (args.dir / f"{args.phase}.json").write_text(json.dumps(fn()))
        return

    cores = os.cpu_count()
    print(f"machine: {platform.platform()}, {cores} cores, Python {platform.python_version()}")
    print(
        f"started {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load {os.getloadavg()}"
    )
    if not (args.reuse and (args.dir / "payments.csv").exists()):
        t = time.perf_counter()
        generate(args.dir, args.rows, args.memory_limit)
        print(
            f"generated {args.rows:,} payments in {time.perf_counter() - t:.1f} s "
            f"({(args.dir / 'payments.csv').stat().st_size / 2**30:.2f} GiB CSV)"
        )
    # (e) right after (a): the pair the target compares, measured as close together as can be
    a, rss_a = phase_in_child("a", args.dir, args.memory_limit)
    e, rss_e = phase_in_child("e", args.dir, args.memory_limit)
    c, rss_c = phase_in_child("c", args.dir, args.memory_limit)
    d, rss_d = phase_in_child("d", args.dir, args.memory_limit)
    n = a["rows"]
    if e["rows"] != n:
        raise SystemExit(f"(a) stored {n:,} payments, (e) {e['rows']:,}")
    b = rss_b = None
    if n <= args.pandas_max_rows:
        try:
            import pandas  # noqa: F401

            b, rss_b = phase_in_child("b", args.dir, args.memory_limit)
        except ImportError:
            print("pandas not installed: (b) skipped")
    else:
        print(f"(b) pandas skipped above {args.pandas_max_rows:,} rows")
    print(f"finished {time.strftime('%H:%M:%S UTC', time.gmtime())}, load {os.getloadavg()}")

    def line(name: str, r: dict, rss: float) -> None:
        print(
            f"{name:<48} {r['seconds']:8.1f} s {n / r['seconds']:>12,.0f} rows/s "
            f"{rss:6.2f} GiB {r['cpu_s']:8.1f} s CPU"
        )

    print(f"\n{n:,} rows, DuckDB memory_limit {args.memory_limit}")
    line("(a) wholeplace import + consolidation", a, rss_a)
    print(f"      of which import {a['import_s']:.1f} s, consolidation {a['consolidate_s']:.1f} s")
    if b:
        line("(b) pandas, written plainly", b, rss_b)
    line("(c) one hand-written DuckDB SQL query", c, rss_c)
    line("(d) floor: the file copied into a DuckDB table", d, rss_d)
    line("(e) SQL script: parse, type, store, then sum", e, rss_e)
    print(
        f"      of which store {e['store_s']:.1f} s, sum the table {e['aggregate_s']:.1f} s, "
        f"close {e['close_s']:.1f} s"
    )
    print()
    ae = a["seconds"] / e["seconds"]
    at_10m = "" if n == 10_000_000 else f" (the target is set at 10M rows; this run has {n:,})"
    print(f"(a)/(e) = {ae:.2f}x  (target <= 1.25x at 10M): {verdict(ae <= 1.25)}{at_10m}")
    print(
        f"(a)/(e) in CPU seconds = {a['cpu_s'] / e['cpu_s']:.2f}x  (work done, all threads: "
        "less disturbed than wall time when other work shares the machine)"
    )
    print(f"(a)/(d) = {a['seconds'] / d['seconds']:.2f}x  (against storing the text alone)")
    print(f"(a)/(c) = {a['seconds'] / c['seconds']:.2f}x  (issue 3's target <= 1.5x)")
    if b:
        print(f"(b)/(a) = {b['seconds'] / a['seconds']:.1f}x  (issue 3's target >= 10x)")
    print(
        f"(d)/(c) = {d['seconds'] / c['seconds']:.2f}x, "
        f"(e)/(c) = {e['seconds'] / c['seconds']:.2f}x  (storing, against the whole of (c))"
    )
    if n >= 100_000_000:
        print(
            f"100M target: {a['seconds']:.1f} s (< 120 s): {verdict(a['seconds'] < 120)}; "
            f"{rss_a:.2f} GiB peak (< 6 GiB): {verdict(rss_a < 6)}"
        )
    ok_c = agree(a["result"], c["result"], Decimal(0))
    ok_e = agree(a["result"], e["result"], Decimal(0))
    print(f"(a) = (c) to the penny for every place and year: {ok_c}")
    print(f"(a) = (e) to the penny for every place and year: {ok_e}")
    if b:
        print(
            f"(a) = (b) within 1p per place (pandas adds floats): "
            f"{agree(a['result'], b['result'], Decimal('0.01'))}"
        )
    if not (ok_c and ok_e):
        raise SystemExit("results differ")


if __name__ == "__main__":
    main()
