"""The ``--json`` commands frozen by the golden test, and how their output is made comparable.

Each case is a command line run against the demo place (``{ws}``) or the examples the docs
use (``{data}`` is the package's shipped data, ``{docs}`` a folder of the docs' files). The
recorded outputs in ``expected/`` were produced by the code *before* the core refactor (issue
9), so a refactor that changes any figure or key fails here; the ``assets-*`` cases were
recorded when the shared estate was added (issue 16). Year labels are compared in one
form (``2024/25``) because issue 9 changes ``2024-25`` to ``2024/25`` in output on purpose.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

CASES: dict[str, list[str]] = {
    "partners-list": ["partners", "list", "-w", "{ws}"],
    "areas-list": ["areas", "list", "-w", "{ws}"],
    "spend-services": ["spend", "services"],
    **{
        f"spend-map-{by}": ["spend", "map", "-w", "{ws}", "--by", by, "--per-head"]
        for by in ("group", "partner", "division", "service", "area", "customer_group")
    },
    "spend-map-2023": ["spend", "map", "-w", "{ws}", "--year", "2023-24", "--by", "partner"],
    "spend-suppliers": ["spend", "suppliers", "-w", "{ws}"],
    "spend-suppliers-shared": ["spend", "suppliers", "-w", "{ws}", "--shared"],
    "unitcosts-search": ["unitcosts", "search", "A&E", "-w", "{ws}"],
    "unitcosts-show": ["unitcosts", "show", "E&E1.0.1", "-w", "{ws}"],
    "unitcosts-uprate": ["unitcosts", "uprate", "E&E1.0.1", "--to", "2015/16", "-w", "{ws}"],
    "unitcosts-deflators": ["unitcosts", "deflators", "show", "-w", "{ws}"],
    "cba-run": ["cba", "run", "{data}/cba/example_appraisal.yaml", "-w", "{ws}"],
    "cba-sensitivity": ["cba", "sensitivity", "{data}/cba/example_appraisal.yaml", "-w", "{ws}"],
    "cba-simulate": [
        "cba", "simulate", "{data}/cba/example_appraisal.yaml", "-w", "{ws}",
        "--draws", "2000", "--seed", "7",
    ],
    "cba-compare": [
        "cba", "compare", "{data}/cba/example_appraisal.yaml",
        "{data}/cba/example_appraisal.yaml", "-w", "{ws}",
    ],
    "sharing-pool": ["sharing", "pool", "{data}/sharing/pool_example.yaml"],
    "sharing-gainshare": ["sharing", "gainshare", "{data}/sharing/gainshare_example.yaml"],
    **{
        f"sharing-gainshare-{rule}": [
            "sharing", "gainshare", "{data}/sharing/gainshare_example.yaml", "--rule", rule,
        ]
        for rule in ("equal", "proportional_to_investment")
    },
    "sharing-pbr-claim": [
        "sharing", "pbr", "claim", "{data}/sharing/troubled_families_2012.yaml",
        "{data}/sharing/families_example.csv", "--as-of", "2015-03-31",
    ],
    "sharing-pbr-funding": [
        "sharing", "pbr", "funding", "{data}/sharing/troubled_families_2012.yaml",
        "--estimated-families", "600",
    ],
    "sharing-pbr-forecast": [
        "sharing", "pbr", "forecast", "{data}/sharing/pbr_forecast_example.yaml",
    ],
    "sharing-recharges": [
        "sharing", "recharges", "{data}/sharing/staff_example.csv",
        "--actuals", "{data}/sharing/staff_actuals_example.csv",
    ],
    "docs-init": ["init", "{docs}/valeshire", "--name", "Valeshire", "--population", "1100000"],
    "docs-partners-import": ["partners", "import", "{docs}/partners.csv", "-w", "{docs}/valeshire"],
    "docs-spend-import": [
        "spend", "import", "{docs}/spend-2024-25.csv", "-w", "{docs}/valeshire",
    ],
    "docs-spend-map": [
        "spend", "map", "-w", "{docs}/valeshire", "--by", "group", "--per-head",
    ],
    "docs-log": ["log", "-w", "{docs}/valeshire"],
    "national-init": ["init", "{docs}/national", "--name", "Valeshire", "--population", "1000000"],
    "national-partners-import": [
        "partners", "import", "{docs}/national-partners.csv", "-w", "{docs}/national",
    ],
    "national-import-transactions": [
        "spend", "import-transactions", "{docs}/payments.csv", "--partner", "vale",
        "--mapping", "{docs}/map.csv", "-w", "{docs}/national",
    ],
    "national-map-service": [
        "spend", "map", "--year", "2024/25", "--by", "service", "-w", "{docs}/national",
    ],
    "national-suppliers": ["spend", "suppliers", "-w", "{docs}/national"],
    # the shared estate (issue 16), recorded when it was added: the demo's estate ...
    "assets-list": ["assets", "list", "-w", "{ws}"],
    "assets-list-partner": ["assets", "list", "--partner", "lcc", "-w", "{ws}"],
    "assets-opportunities": ["assets", "opportunities", "-w", "{ws}"],
    "assets-opportunities-wider": [
        "assets", "opportunities", "--within", "1500", "--under-used", "90", "--years", "20",
        "--value-per-m2", "1200", "-w", "{ws}",
    ],
    "assets-profile": ["assets", "profile", "-w", "{ws}"],
    "assets-profile-allocated": ["assets", "profile", "--allocate-by", "population", "-w", "{ws}"],
    "assets-ope": ["assets", "ope", "-w", "{ws}"],  # the demo has no targets: empty
    # neighbourhood profiles (issue 16, session 6): every area, county spend allocated
    "areas-profile-all": [
        "areas", "profile", "--all", "--allocate-by", "population", "-w", "{ws}",
    ],
    "areas-profile-one": ["areas", "profile", "E01025231", "-w", "{ws}"],
    # ... and docs/assets.md's worked example, step by step
    "assets-docs-init": ["init", "{docs}/vale", "--name", "Valeshire"],
    "assets-docs-partners": [
        "partners", "import", "{docs}/assets/partners.csv", "-w", "{docs}/vale",
    ],
    "assets-docs-boundaries": [
        "areas", "boundaries", "{docs}/assets/vale.geojson", "-w", "{docs}/vale",
    ],
    "assets-docs-import-cc": [
        "assets", "import", "{docs}/assets/cc.csv", "--partner", "cc", "-w", "{docs}/vale",
    ],
    "assets-docs-import-icb": [
        "assets", "import", "{docs}/assets/icb.csv", "--partner", "icb",
        "--mapping", "{docs}/assets/icb-map.csv", "-w", "{docs}/vale",
    ],
    "assets-docs-import-police": [
        "assets", "import", "{docs}/assets/police.csv", "--partner", "police",
        "-w", "{docs}/vale",
    ],
    "assets-docs-list": ["assets", "list", "-w", "{docs}/vale"],
    "assets-docs-opportunities": [
        "assets", "opportunities", "--value-per-m2", "1000", "-w", "{docs}/vale",
    ],
    "assets-docs-indicator": [
        "assets", "indicator", "{docs}/assets/need.csv", "--name", "imd_decile",
        "--column", "imd_decile", "--source", "Illustrative", "--as-of", "2019",
        "--higher-is", "better", "-w", "{docs}/vale",
    ],
    "assets-docs-profile": ["assets", "profile", "-w", "{docs}/vale"],
    "assets-docs-profile-area": ["assets", "profile", "VALE1", "-w", "{docs}/vale"],
    "assets-docs-report": [
        "assets", "report", "--out", "{docs}/estate.html", "--value-per-m2", "1000",
        "-w", "{docs}/vale",
    ],
    "assets-docs-targets": ["assets", "targets", "{docs}/assets/targets.csv", "-w", "{docs}/vale"],
    "assets-docs-pipeline": [
        "assets", "pipeline", "{docs}/assets/pipeline.csv", "-w", "{docs}/vale",
    ],
    "assets-docs-ope": ["assets", "ope", "-w", "{docs}/vale"],
}  # fmt: skip

_YEAR_DASH = re.compile(r"\b(\d{4})-(\d{2})\b(?!-|\.\w)")


def argv(case: str, ws: Path, data: Path, docs: Path) -> list[str]:
    return [a.format(ws=ws, data=data, docs=docs) for a in CASES[case] + ["--json"]]


def run(case: str, ws: Path, data: Path, docs: Path) -> Any:
    from wholeplace.cli import app

    res = CliRunner().invoke(app, argv(case, ws, data, docs))
    assert res.exit_code == 0, f"{case}: exit {res.exit_code}\n{res.output}"
    paths = {str(ws): "<ws>", str(docs): "<docs>", str(data): "<data>"}
    return normalise(json.loads(res.stdout), paths)


def normalise(value: Any, paths: dict[str, str]) -> Any:
    """Make output comparable across machines and runs: paths, clock, user, year labels."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ("at", "who"):
                out[k] = f"<{k}>"
            else:
                # Keys too: the sharing JSON keys some mappings by year (issue 9).
                out[_YEAR_DASH.sub(_year, k)] = normalise(v, paths)
        return out
    if isinstance(value, list):
        return [normalise(v, paths) for v in value]
    if isinstance(value, str):
        for p, token in paths.items():
            value = value.replace(p, token)
        # 2024-25 -> 2024/25, but not ISO dates such as 2015-03-31
        return _YEAR_DASH.sub(lambda m: _year(m), value)
    return value


def _year(m: re.Match[str]) -> str:
    start, end = int(m.group(1)), int(m.group(2))
    if (start + 1) % 100 == end:
        return f"{m.group(1)}/{m.group(2)}"
    return m.group(0)
