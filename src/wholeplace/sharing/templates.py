"""Starting files for the sharing commands: `wholeplace sharing template KIND OUT`.

Without a place, the starting file is the shipped worked example (docs/sharing.md), which
runs as it is. With the place's partners, it is a skeleton naming every partner of the place
by its id and name, so what the user fills in agrees with the spend map; its figures are
zero, to be filled in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from importlib import resources
from pathlib import Path

import yaml

from wholeplace.errors import WholeplaceError
from wholeplace.partners import Partner
from wholeplace.reports.atomic import write_text_atomic
from wholeplace.years import containing

KINDS = {
    "pool": ("pool_example.yaml", ".yaml"),
    "gainshare": ("gainshare_example.yaml", ".yaml"),
    "recharges": ("staff_example.csv", ".csv"),
}
"""kind (also the command that reads it: `sharing KIND`) -> (the shipped example, the
starting file's suffix)."""


def _example(name: str) -> str:
    return (resources.files("wholeplace") / "data" / "sharing" / name).read_text("utf-8")


def _dump(head: str, data: object) -> str:
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return head + body


def _pool(partners: Sequence[Partner], year: str) -> str:
    ids = [p.id for p in partners]
    return _dump(
        "# A pooled budget of the place's partners: fill in the contributions and the\n"
        "# outturn, choose the host and the rules (docs/sharing.md).\n",
        {
            "name": "Pooled budget",
            "host": ids[0],
            "partners": {p.id: p.name for p in partners},
            "services": ["the pooled service"],
            "years": [year],
            "contributions": {year: {i: 0 for i in ids}},
            "outturn": {year: 0},
            "overspend": "proportional",
            "underspend": "proportional",
        },
    )


def _gainshare(partners: Sequence[Partner], year: str) -> str:
    return _dump(
        "# A gain-share agreement between the place's partners: fill in each partner's\n"
        "# costs and benefits by year and choose the rule (docs/sharing.md).\n",
        {
            "name": "Gain-share agreement",
            "years": [year],
            "discount_rate": "3.5%",
            "partners": {p.id: {"name": p.name, "costs": [0], "benefits": [0]} for p in partners},
            "rule": "proportional_to_investment",
        },
    )


def _recharges(partners: Sequence[Partner]) -> str:
    ids = [p.id for p in partners]
    shares = ["100"] + ["0"] * (len(ids) - 1)
    return (
        ",".join(["staff_id", "name", "employer", "annual_cost", *ids])
        + "\n"
        + ",".join(["S1", "A shared post", ids[0], "0", *shares])
        + "\n"
    )


def write_template(
    kind: str, out: Path, partners: Sequence[Partner] | None = None, today: date | None = None
) -> Path:
    """Write the starting file for ``kind`` to ``out`` (atomically) and return it."""
    if kind not in KINDS:
        raise WholeplaceError(
            f"there is no {kind!r} template. Fix: choose one of {', '.join(KINDS)}"
        )
    example, suffix = KINDS[kind]
    if out.suffix.lower() not in (suffix, ".yml" if suffix == ".yaml" else suffix):
        raise WholeplaceError(f"the {kind} template is a {suffix} file. Fix: name it OUT{suffix}")
    if partners is not None and not partners:
        raise WholeplaceError(
            "the place has no partners yet. Fix: add them with `wholeplace partners import`"
        )
    year = containing(today or date.today())
    if partners is None:
        text = _example(example)
    elif kind == "pool":
        text = _pool(partners, year)
    elif kind == "gainshare":
        text = _gainshare(partners, year)
    else:
        text = _recharges(partners)
    write_text_atomic(out, text)
    return out
