"""Checking an appraisal file: every problem found at once, with where it is and the fix.

``SourceMap`` is a mapping that remembers the line (or spreadsheet row) each key came from, so a
problem names the place to look; ``Checker`` collects problems as the file is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from wholeplace.cba.appraisal import DIST_PARAMS, ZERO, Dist
from wholeplace.errors import Problem
from wholeplace.money import MoneyError, input_amount


class SourceMap(dict):  # type: ignore[type-arg]
    """A YAML mapping (or spreadsheet row) that remembers where each key was written."""

    line: int | None = None
    sheet: str | None = None

    def __init__(self, *a: Any, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.lines: dict[Any, int] = {}


class YamlLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> SourceMap:
    loader.flatten_mapping(node)
    m = SourceMap()
    m.line = node.start_mark.line + 1
    for k_node, v_node in node.value:
        k = loader.construct_object(k_node, deep=True)
        m[k] = loader.construct_object(v_node, deep=True)
        m.lines[k] = k_node.start_mark.line + 1
    return m


YamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class Checker:
    """Collects every problem in one appraisal file, with where it is and how to fix it."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[Problem] = []

    def add(
        self,
        where: Mapping[Any, Any] | None,
        key: str | None,
        path: str,
        value: Any,
        msg: str,
        fix: str,
    ) -> None:
        row = None
        sheet = None
        if isinstance(where, SourceMap):
            row = where.lines.get(key, where.line) if key is not None else where.line
            sheet = where.sheet
        shown = None if value is None else str(value)
        self.problems.append(Problem(self.label, row, path, shown, msg, fix, sheet=sheet))

    def number(
        self,
        m: SourceMap,
        key: str,
        path: str,
        *,
        lo: Decimal | None = None,
        hi: Decimal | None = None,
        required: bool = True,
        default: Decimal | None = None,
        allow_dist: bool = False,
        what: str = "a number",
        money: bool = False,
    ) -> tuple[Decimal | None, Dist | None]:
        if key not in m or m[key] is None or m[key] == "":
            if required:
                self.add(m, None, path, None, f"'{key}' is missing", f"add {key}: {what}")
            return default, None
        raw = m[key]
        if isinstance(raw, dict):
            if not allow_dist:
                self.add(m, key, path, raw, "expected a single number here", f"give {what}")
                return None, None
            d = self.dist(raw, path, money=money)
            if d is None:
                return None, None
            value = d.central()
        else:
            number = to_decimal(raw)
            if number is None:
                self.add(m, key, path, raw, "not a number", f"give {what}, e.g. 0.25")
                return None, None
            value, d = number, None
            if money and not self.within_largest_amount(m, key, path, raw, number):
                return None, None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.add(m, key, path, raw, f"must be between {lo} and {hi}", f"give {what}")
            return None, None
        return value, d

    def within_largest_amount(
        self, where: Mapping[Any, Any] | None, key: str | None, path: str, raw: Any, v: Decimal
    ) -> bool:
        """Whether ``v``, an amount of money, is within ``money.MAX_AMOUNT`` (a problem if not)."""
        try:
            input_amount(v)
        except MoneyError as exc:
            self.add(where, key, path, raw, exc.message, exc.fix)
            return False
        return True

    def dist(self, raw: Mapping[Any, Any], path: str, *, money: bool = False) -> Dist | None:
        kind = str(raw.get("dist", "")).strip().lower()
        if kind not in DIST_PARAMS:
            self.add(
                raw,
                "dist",
                f"{path}.dist",
                raw.get("dist"),
                "unknown distribution",
                "use one of: " + ", ".join(DIST_PARAMS),
            )
            return None
        params: dict[str, Decimal] = {}
        ok = True
        for p in (*DIST_PARAMS[kind], *(("low", "high") if kind == "beta" else ())):
            optional = kind == "beta" and p in ("low", "high")
            if p not in raw:
                if not optional:
                    self.add(
                        raw,
                        None,
                        f"{path}.{p}",
                        None,
                        f"a {kind} distribution needs '{p}'",
                        f"add {p}: NUMBER",
                    )
                    ok = False
                continue
            v = to_decimal(raw[p])
            if v is None:
                self.add(raw, p, f"{path}.{p}", raw[p], "not a number", "give a number")
                ok = False
            elif money and not self.within_largest_amount(raw, p, f"{path}.{p}", raw[p], v):
                ok = False
            else:
                params[p] = v
        if not ok:
            return None
        bad = None
        if kind == "triangular" and not params["low"] <= params["mode"] <= params["high"]:
            bad = "needs low <= mode <= high"
        elif kind == "uniform" and not params["low"] <= params["high"]:
            bad = "needs low <= high"
        elif kind == "normal" and params["sd"] < 0:
            bad = "needs sd >= 0"
        elif kind == "beta" and (params["alpha"] <= 0 or params["beta"] <= 0):
            bad = "needs alpha > 0 and beta > 0"
        if bad:
            self.add(
                raw,
                None,
                path,
                dict(raw),
                f"this {kind} distribution {bad}",
                "correct the parameters",
            )
            return None
        return Dist(kind, params)

    def grade(
        self, m: SourceMap, path: str, bias: dict[int, Decimal], key: str = "confidence"
    ) -> int | None:
        raw = m.get(key)
        if raw is None or raw == "":
            self.add(
                m,
                None,
                f"{path}.{key}",
                None,
                f"'{key}' is missing",
                f"add {key}: 1 to 6 (1 = firm, 6 = a guess); it sets the optimism bias",
            )
            return None
        v = to_decimal(raw)
        # a Decimal finds its equal int key; int(v) first would build every digit of 1e999999999
        if v is None or not v.is_finite() or v not in bias:
            self.add(
                m,
                key,
                f"{path}.{key}",
                raw,
                "not a confidence grade",
                f"use a whole number from {min(bias)} to {max(bias)}",
            )
            return None
        return int(v)

    def series(
        self,
        m: SourceMap,
        key: str,
        path: str,
        n: int | None,
        what: str,
        *,
        money: bool = False,
        most: Decimal | None = None,
    ) -> tuple[Decimal, ...]:
        """A list of ``n`` numbers of zero or more, one per year; ``money``: amounts within
        ``money.MAX_AMOUNT``; ``most``: the largest number allowed."""
        raw = m.get(key)
        n = n or 0
        if not isinstance(raw, list):
            self.add(
                m,
                key if key in m else None,
                path,
                raw,
                f"'{key}' must be a list",
                f"give {n} {what}, one per year, e.g. [{', '.join(['0'] * min(n, 5))}]",
            )
            return tuple([ZERO] * n)
        vals = []
        for i, x in enumerate(raw):
            v = to_decimal(x)
            if v is None or v < 0:
                self.add(
                    m,
                    key,
                    f"{path}[{i}]",
                    x,
                    "not a number of zero or more",
                    f"give {what} as numbers of zero or more",
                )
                v = ZERO
            elif money and not self.within_largest_amount(m, key, f"{path}[{i}]", x, v):
                v = ZERO
            elif most is not None and v > most:
                self.add(
                    m, key, f"{path}[{i}]", x, f"more than {most:,}", f"give {what} up to {most:,}"
                )
                v = ZERO
            vals.append(v)
        if n and len(vals) != n:
            self.add(
                m,
                key,
                path,
                f"{len(vals)} values",
                f"the appraisal runs {n} years",
                f"give exactly {n} {what}, one per year (0 where there are none)",
            )
            vals = (vals + [ZERO] * n)[:n]

        return tuple(vals)


def to_decimal(x: Any) -> Decimal | None:
    if isinstance(x, bool) or x is None:
        return None
    try:
        if isinstance(x, float):
            d = Decimal(repr(x))
        elif isinstance(x, int | Decimal):
            d = Decimal(x)
        else:
            s = str(x).strip().replace(",", "").replace("£", "")
            pct = s.endswith("%")
            d = Decimal(s.rstrip("%"))
            if pct:
                d = d / 100
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None
