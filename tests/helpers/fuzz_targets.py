"""What the fuzz test (tests/security/test_fuzz.py) runs: every importer and YAML reader.

A :class:`Target` is one reader: the name of the file it reads (its suffix chooses the
reader), a valid seed file, the named strategies that make hostile variants of the seed, how
to run it in-process (a service call against an open place) and the same on the command line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import fuzz_seeds as seeds
import fuzzing as fz
from hypothesis import strategies as st

from wholeplace.areas import import_areas, import_boundaries
from wholeplace.assets import service as assets
from wholeplace.cba import service as cba
from wholeplace.partners import import_partners
from wholeplace.sharing import service as sharing
from wholeplace.spend import national_service as spend_national
from wholeplace.spend import service as spend
from wholeplace.spend import transactions_service as spend_transactions
from wholeplace.workspace import Workspace

Run = Callable[[Workspace, Path], object]
Argv = Callable[[Path, Path], list[str]]  # (place folder, file) -> the command's arguments
Make = Callable[[], st.SearchStrategy[bytes]]


@dataclass(frozen=True)
class Target:
    name: str
    seed: bytes  # a valid file, accepted as it is
    strategies: dict[str, Make] = field(hash=False)
    argv: Argv = field(hash=False)
    run: Run | None = None  # None: the reader lives in the command itself, run through it
    place: str = "main"  # which place it runs against (unit costs replace the whole book)

    def __repr__(self) -> str:
        return self.name


def _text(seed: bytes) -> dict[str, Make]:
    return {
        "random-bytes": fz.random_bytes,
        "empty": fz.empty,
        "truncated": lambda: fz.truncated(seed),
        "nuls": lambda: fz.with_nuls(seed),
        "unicode": lambda: fz.with_unicode(seed),
        "encoding": lambda: fz.in_other_encoding(seed),
        "lines": lambda: fz.shuffled_lines(seed),
    }


def csv_strategies(seed: bytes) -> dict[str, Make]:
    return {
        **_text(seed),
        "wrong-values": lambda: fz.csv_cell(seed, fz.ODD_VALUES),
        "header": lambda: fz.csv_cell(seed, fz.ODD_TEXT, header=True),
        "out-of-range": lambda: fz.csv_cell(seed, fz.OUT_OF_RANGE),
        "junk-amounts": lambda: fz.csv_cell(seed, fz.JUNK_AMOUNTS),
        "odd-dates": lambda: fz.csv_cell(seed, fz.ODD_DATES),
        "long-field": lambda: fz.csv_cell(seed, [fz.LONG_FIELD]),
        "duplicate-header": lambda: fz.duplicate_header(seed),
        "ragged-rows": lambda: fz.ragged_rows(seed),
        "mixed-encoding": lambda: fz.mixed_encoding(seed),
    }


def xlsx_strategies(sheets: fz.Sheets, book: bytes) -> dict[str, Make]:
    return {
        "random-bytes": fz.random_bytes,
        "empty": fz.empty,
        "truncated": lambda: fz.truncated(book),
        "broken-zip": lambda: fz.broken_zip(book),
        "wrong-values": lambda: fz.xlsx_cells(sheets, fz.XLSX_VALUES),
        "out-of-range": lambda: fz.xlsx_cells(sheets, fz.OUT_OF_RANGE),
        "junk-amounts": lambda: fz.xlsx_cells(sheets, fz.JUNK_AMOUNTS),
        "odd-dates": lambda: fz.xlsx_cells(sheets, fz.ODD_DATES),
        "sheets": lambda: fz.xlsx_sheets(sheets),
    }


def yaml_strategies(doc: Any) -> dict[str, Make]:
    seed = seeds.dump_yaml(doc)
    return {
        **_text(seed),
        "wrong-values": lambda: fz.tree_values(doc, fz.ODD_VALUES),
        "out-of-range": lambda: fz.tree_values(doc, fz.OUT_OF_RANGE),
        "junk-amounts": lambda: fz.tree_values(doc, fz.JUNK_AMOUNTS + fz.ODD_DATES),
        "deep-nesting": lambda: fz.tree_deep(doc),
        "yaml-syntax": lambda: fz.yaml_syntax(seed),
        "unhashable-keys": lambda: fz.unhashable_keys(seed),
    }


def json_strategies(doc: Any) -> dict[str, Make]:
    seed = seeds.dump_json(doc)
    return {
        **_text(seed),
        "wrong-values": lambda: fz.tree_values(doc, fz.ODD_VALUES, "json"),
        "out-of-range": lambda: fz.tree_values(doc, fz.OUT_OF_RANGE, "json"),
        "deep-nesting": lambda: fz.tree_deep(doc, "json"),
    }


def csv_target(name: str, seed: bytes, argv: Argv, run: Run, place: str = "main") -> Target:
    return Target(name, seed, csv_strategies(seed), argv, run, place)


def xlsx_target(
    name: str,
    sheets: fz.Sheets,
    argv: Argv,
    run: Run,
    book: bytes | None = None,
    place: str = "main",
) -> Target:
    book = book if book is not None else fz.workbook_bytes(sheets)
    return Target(name, book, xlsx_strategies(sheets, book), argv, run, place)


def yaml_target(name: str, doc: Any, argv: Argv, run: Run | None) -> Target:
    return Target(name, seeds.dump_yaml(doc), yaml_strategies(doc), argv, run)


def json_target(name: str, doc: Any, argv: Argv, run: Run) -> Target:
    return Target(name, seeds.dump_json(doc), json_strategies(doc), argv, run)


# -- the files each target reads beside the hostile one ----------------------------------


def _families() -> Path:
    return seeds.shipped("sharing", "families_example.csv")


def _scheme() -> Path:
    return seeds.shipped("sharing", "troubled_families_2012.yaml")


def _staff() -> Path:
    return seeds.shipped("sharing", "staff_example.csv")


def _aside(path: Path, name: str, content: str) -> Path:
    """A valid companion file next to the hostile one (a spend file for a mapping...)."""
    other = path.with_name(name)
    if not other.exists():
        other.write_text(content, encoding="utf-8")
    return other


def _own_names(f: Path) -> Path:
    return _aside(f, "own-names.csv", seeds.SPEND_OWN_NAMES)


def _payments(f: Path) -> Path:
    return _aside(f, "payments.csv", seeds.TRANSACTIONS)


def _own_register(f: Path) -> Path:
    return _aside(f, "own-register.csv", seeds.ASSETS_OWN_LAYOUT)


def _own_mapping(f: Path) -> Path:
    return _aside(f, "own-map.csv", seeds.ASSETS_MAPPING)


def _forecast(f: Path) -> Path:
    """The forecast, with the scheme it names (``seeds.forecast_doc``) beside it: a file
    names others only from its own folder (wholeplace.named_files)."""
    _aside(f, "troubled_families_2012.yaml", _scheme().read_text(encoding="utf-8"))
    return f


def prepare_estate(ws: Workspace, folder: Path) -> None:
    """Give a fuzz place the estate's areas (squares, as boundaries) and partner hbc's
    register, which the pipeline seed names; ``folder``: where their files are written."""
    shapes = folder / "estate-boundaries.geojson"
    shapes.write_bytes(seeds.dump_json(seeds.estate_boundaries()))
    import_boundaries(ws, shapes, "code")
    register = folder / "estate-hbc.csv"
    register.write_text(seeds.ESTATE_HBC, encoding="utf-8")
    assets.import_register(ws, register, "hbc")


def _indicator(ws: Workspace, f: Path) -> object:
    return assets.import_indicator(ws, f, "fz", "value", source="Fuzz", as_of="2019")


INDICATOR_ARGS = ["--name", "fz", "--column", "value", "--source", "Fuzz", "--as-of", "2019"]
AS_OF = date(2015, 3, 31)


def targets(folder: Path) -> list[Target]:
    """Every importer and YAML reader (``folder``: where the appraisal template is written)."""
    template_book, template = seeds.template_sheets(folder)
    # the header and the first two payments, as cells (one amount is quoted: "£1,234.50")
    payments = list(csv.reader(io.StringIO(seeds.TRANSACTIONS)))[3:6]

    def w(place: Path) -> list[str]:
        return ["-w", str(place)]

    return [*_estate_targets(w), *_other_targets(w, template_book, template, payments)]


def _estate_targets(w: Callable[[Path], list[str]]) -> list[Target]:
    """The shared estate's readers (issue 16), run against the estate place."""
    indicator_sheets: fz.Sheets = {"Indicator": list(csv.reader(io.StringIO(seeds.INDICATOR)))}
    return [
        csv_target(
            "assets.csv",
            seeds.csv_of(seeds.ASSETS),
            lambda p, f: ["assets", "import", str(f), "--partner", "cc", *w(p)],
            lambda ws, f: assets.import_register(ws, f, "cc"),
            place="estate",
        ),
        xlsx_target(
            "assets.xlsx",
            seeds.ASSETS,
            lambda p, f: ["assets", "import", str(f), "--partner", "cc", *w(p)],
            lambda ws, f: assets.import_register(ws, f, "cc"),
            place="estate",
        ),
        csv_target(
            "assets-mapping.csv",
            seeds.ASSETS_MAPPING.encode(),
            lambda p, f: [
                "assets",
                "import",
                str(_own_register(f)),
                "--partner",
                "icb",
                "--mapping",
                str(f),
                *w(p),
            ],
            lambda ws, f: assets.import_register(ws, _own_register(f), "icb", mapping=f),
            place="estate",
        ),
        csv_target(
            "assets-mapped.csv",
            seeds.ASSETS_OWN_LAYOUT.encode(),
            lambda p, f: [
                "assets",
                "import",
                str(f),
                "--partner",
                "icb",
                "--mapping",
                str(_own_mapping(f)),
                *w(p),
            ],
            lambda ws, f: assets.import_register(ws, f, "icb", mapping=_own_mapping(f)),
            place="estate",
        ),
        csv_target(
            "indicator.csv",
            seeds.INDICATOR.encode(),
            lambda p, f: ["assets", "indicator", str(f), *INDICATOR_ARGS, *w(p)],
            _indicator,
            place="estate",
        ),
        xlsx_target(
            "indicator.xlsx",
            indicator_sheets,
            lambda p, f: ["assets", "indicator", str(f), *INDICATOR_ARGS, *w(p)],
            _indicator,
            place="estate",
        ),
        csv_target(
            "ope-targets.csv",
            seeds.OPE_TARGETS.encode(),
            lambda p, f: ["assets", "targets", str(f), *w(p)],
            assets.import_targets,
            place="estate",
        ),
        csv_target(
            "ope-pipeline.csv",
            seeds.OPE_PIPELINE.encode(),
            lambda p, f: ["assets", "pipeline", str(f), *w(p)],
            assets.import_pipeline,
            place="estate",
        ),
    ]


def _other_targets(
    w: Callable[[Path], list[str]],
    template_book: bytes,
    template: fz.Sheets,
    payments: list[list[str]],
) -> list[Target]:
    return [
        csv_target(
            "partners.csv",
            seeds.csv_of(seeds.PARTNERS),
            lambda p, f: ["partners", "import", str(f), *w(p)],
            import_partners,
        ),
        xlsx_target(
            "partners.xlsx",
            seeds.PARTNERS,
            lambda p, f: ["partners", "import", str(f), *w(p)],
            import_partners,
        ),
        csv_target(
            "areas.csv",
            seeds.csv_of(seeds.AREAS),
            lambda p, f: ["areas", "import", str(f), *w(p)],
            import_areas,
        ),
        xlsx_target(
            "areas.xlsx", seeds.AREAS, lambda p, f: ["areas", "import", str(f), *w(p)], import_areas
        ),
        json_target(
            "boundaries.geojson",
            seeds.BOUNDARIES,
            lambda p, f: ["areas", "boundaries", str(f), *w(p)],
            import_boundaries,
        ),
        csv_target(
            "spend.csv",
            seeds.csv_of(seeds.SPEND),
            lambda p, f: ["spend", "import", str(f), "--allow-credits", *w(p)],
            lambda ws, f: spend.import_lines(ws, f, allow_credits=True),
        ),
        xlsx_target(
            "spend.xlsx",
            seeds.SPEND,
            lambda p, f: ["spend", "import", str(f), *w(p)],
            spend.import_lines,
        ),
        csv_target(
            "spend-mapping.csv",
            seeds.SPEND_MAPPING.encode(),
            lambda p, f: ["spend", "import", str(_own_names(f)), "--mapping", str(f), *w(p)],
            lambda ws, f: spend.import_lines(ws, _own_names(f), mapping=f),
        ),
        xlsx_target(
            "outturn.xlsx",
            seeds.OUTTURN,
            lambda p, f: [
                "spend",
                "import-outturn",
                str(f),
                "--authority",
                "E0101",
                "--partner",
                "cc",
                *w(p),
            ],
            lambda ws, f: spend_national.import_outturn(ws, f, authority="E0101", partner="cc"),
        ),
        xlsx_target(
            "outturn-all.xlsx",
            seeds.OUTTURN,
            lambda p, f: ["spend", "import-outturn", str(f), "--all", *w(p)],
            lambda ws, f: spend_national.import_outturn(ws, f, all_authorities=True),
        ),
        csv_target(
            "transactions.csv",
            seeds.TRANSACTIONS.encode(),
            lambda p, f: ["spend", "import-transactions", str(f), "--partner", "hbc", *w(p)],
            lambda ws, f: spend_transactions.import_transactions(ws, [f], partner="hbc"),
        ),
        xlsx_target(
            "transactions.xlsx",
            {"Payments": payments},
            lambda p, f: ["spend", "import-transactions", str(f), "--partner", "hbc", *w(p)],
            lambda ws, f: spend_transactions.import_transactions(ws, [f], partner="hbc"),
        ),
        csv_target(
            "transactions-mapping.csv",
            seeds.TRANSACTIONS_MAPPING.encode(),
            lambda p, f: [
                "spend",
                "import-transactions",
                str(_payments(f)),
                "--partner",
                "hbc",
                "--mapping",
                str(f),
                *w(p),
            ],
            lambda ws, f: spend_transactions.import_transactions(
                ws, [_payments(f)], partner="hbc", mapping=f
            ),
        ),
        yaml_target(
            "appraisal.yaml",
            seeds.shipped_yaml("cba", "example_appraisal.yaml"),
            lambda p, f: ["cba", "run", str(f), *w(p)],
            lambda ws, f: cba.run(f, ws),
        ),
        xlsx_target(
            "appraisal.xlsx",
            template,
            lambda p, f: ["cba", "run", str(f), *w(p)],
            lambda ws, f: cba.run(f, ws),
            template_book,
        ),
        yaml_target(
            "pool.yaml",
            seeds.shipped_yaml("sharing", "pool_example.yaml"),
            lambda p, f: ["sharing", "pool", str(f)],
            lambda ws, f: sharing.pool(f),
        ),
        xlsx_target(
            "pool.xlsx",
            seeds.POOL_WORKBOOK,
            lambda p, f: ["sharing", "pool", str(f)],
            lambda ws, f: sharing.pool(f),
        ),
        yaml_target(
            "gainshare.yaml",
            seeds.shipped_yaml("sharing", "gainshare_example.yaml"),
            lambda p, f: ["sharing", "gainshare", str(f)],
            lambda ws, f: sharing.gainshare(f),
        ),
        json_target(
            "gainshare.json",
            seeds.AGENCY_MATRIX,
            lambda p, f: ["sharing", "gainshare", str(f), "--rule", "equal"],
            lambda ws, f: sharing.gainshare(f, rule="equal"),
        ),
        yaml_target(
            "scheme.yaml",
            seeds.shipped_yaml("sharing", "troubled_families_2012.yaml"),
            lambda p, f: [
                "sharing",
                "pbr",
                "claim",
                str(f),
                str(_families()),
                "--as-of",
                AS_OF.isoformat(),
            ],
            lambda ws, f: sharing.pbr_claim(f, _families(), as_of=AS_OF),
        ),
        csv_target(
            "families.csv",
            _families().read_bytes(),
            lambda p, f: [
                "sharing",
                "pbr",
                "claim",
                str(_scheme()),
                str(f),
                "--as-of",
                AS_OF.isoformat(),
            ],
            lambda ws, f: sharing.pbr_claim(_scheme(), f, as_of=AS_OF),
        ),
        yaml_target(
            "forecast.yaml",
            seeds.forecast_doc(),
            lambda p, f: ["sharing", "pbr", "forecast", str(_forecast(f))],
            lambda ws, f: sharing.pbr_forecast(_forecast(f)),
        ),
        csv_target(
            "staff.csv",
            _staff().read_bytes(),
            lambda p, f: ["sharing", "recharges", str(f), "--year", "2025/26"],
            lambda ws, f: sharing.recharges(f, year="2025/26"),
        ),
        csv_target(
            "actuals.csv",
            seeds.shipped("sharing", "staff_actuals_example.csv").read_bytes(),
            lambda p, f: [
                "sharing",
                "recharges",
                str(_staff()),
                "--actuals",
                str(f),
                "--year",
                "2025/26",
            ],
            lambda ws, f: sharing.recharges(_staff(), actuals=f, year="2025/26"),
        ),
        # the reader of a place's own parameters lives in the command: run through it
        yaml_target(
            "parameters.yaml",
            seeds.PARAMETERS,
            lambda p, f: ["parameters", "set", "discount_rate.green_book", str(f), *w(p)],
            None,
        ),
        csv_target(
            "deflators.csv",
            seeds.DEFLATORS.encode(),
            lambda p, f: ["unitcosts", "deflators", "import", str(f), *w(p)],
            lambda ws, f: cba.import_deflators(ws, f),
            place="books",
        ),
        Target(
            "unitcosts v1.4.xlsx",
            fz.workbook_bytes(seeds.UNITCOSTS),
            xlsx_strategies(seeds.UNITCOSTS, fz.workbook_bytes(seeds.UNITCOSTS)),
            lambda p, f: ["unitcosts", "import", str(f), *w(p)],
            cba.import_unitcosts,
            place="books",
        ),
    ]
