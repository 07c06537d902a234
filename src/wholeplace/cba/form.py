"""An appraisal as the fields of a form: what the web application's editor shows and sends.

Every field is text, as a person types it. :func:`form_of` reads an appraisal file (YAML or
the XLSX template) into such fields; :func:`source_of` turns them back into the checked
mapping the loader reads (:func:`wholeplace.cba.load.build_appraisal`), each cost and outcome
remembering its row on the form, so a problem names the row of the form as it would a row of
the template; :func:`yaml_text` writes them as an appraisal file ``cba run`` reads.

A field takes what the YAML file takes: a number, a word, ``a, b, c`` for the lists (amounts,
cohort, persistence, optimism bias, value types), or YAML's ``{dist: triangular, low: ...}``
for an uncertain input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from wholeplace.cba.appraisal import ADDITIONALITY
from wholeplace.cba.checks import SourceMap, YamlLoader
from wholeplace.cba.load_xlsx import read_xlsx
from wholeplace.errors import InputError, Problem
from wholeplace.workbook_limits import refuse_old_xls
from wholeplace.yaml_files import load_yaml_text, parse_yaml, read_yaml_file

SETTINGS_FIELDS = (
    "name",
    "price_year",
    "start_year",
    "years",
    "discount_rate",
    "optimism_bias",
    "deflators",
)
COST_FIELDS = ("description", "agency", "type", "confidence", "amounts", "uncertainty")
OUTCOME_FIELDS = (
    "description",
    "unit_cost",
    "per",
    "value",
    "value_type",
    "value_year",
    "agency",
    "transfer",
    "cohort",
    "engagement",
    "success",
    "deadweight",
    "persistence",
    "confidence",
    "cashable",
    "uncertainty",
    "impact_confidence",
    "value_confidence",
    *ADDITIONALITY,
    "deadweight_source",
    *(f"{k}_source" for k in ADDITIONALITY),
)
# written as a list: "a, b, c" (a single value is a list of one where the loader wants a list)
LIST_FIELDS = frozenset({"amounts", "cohort", "persistence", "optimism_bias", "value_type"})
ALWAYS_LIST = frozenset({"amounts", "cohort", "persistence"})
# words, kept as typed: a comma in a description is a comma
TEXT_FIELDS = frozenset(
    {
        "name",
        "description",
        "agency",
        "type",
        "unit_cost",
        "per",
        "value_year",
        "price_year",
        "start_year",
        "deflators",
        "deadweight_source",
        *(f"{k}_source" for k in ADDITIONALITY),
    }
)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_TRUE = ("true", "yes", "y", "1", "on")
_FALSE = ("false", "no", "n", "0", "off", "")

Fields = dict[str, str]


@dataclass
class AppraisalForm:
    """The appraisal's fields as text: its settings, and one mapping per cost and outcome."""

    settings: Fields = field(default_factory=dict)
    costs: list[Fields] = field(default_factory=list)
    outcomes: list[Fields] = field(default_factory=list)


# -- from a file -----------------------------------------------------------------------------


def form_of(path: Path) -> AppraisalForm:
    """The fields of an appraisal file, as they are (not checked: the form shows a file with
    problems so that they can be put right). Raises InputError if it cannot be read at all."""
    label = path.name
    refuse_old_xls(path, "YAML or the .xlsx template")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raw: Any = read_xlsx(path)
    else:
        raw = parse_yaml(read_yaml_file(path), label, YamlLoader)
    if not isinstance(raw, dict):
        raise InputError(
            [
                Problem(
                    label,
                    None,
                    None,
                    None,
                    "the file is empty or not a mapping",
                    "start with 'appraisal:', 'costs:' and 'outcomes:' sections",
                )
            ]
        )
    head = raw.get("appraisal")
    return AppraisalForm(
        _fields(head if isinstance(head, dict) else {}, SETTINGS_FIELDS),
        [_fields(c, COST_FIELDS) for c in _listed(raw.get("costs"))],
        [_fields(o, OUTCOME_FIELDS) for o in _listed(raw.get("outcomes"))],
    )


def _listed(items: Any) -> list[dict[Any, Any]]:
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _fields(m: dict[Any, Any], names: tuple[str, ...]) -> Fields:
    return {k: _text(m[k]) for k in names if k in m and m[k] is not None}


def _text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, list) and all(not isinstance(x, dict | list) for x in v):
        return ", ".join(_text(x) for x in v)
    if isinstance(v, dict | list):
        return str(yaml.safe_dump(_plain(v), default_flow_style=True, sort_keys=False)).strip()
    return str(v)


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


# -- from the form's fields ------------------------------------------------------------------


def source_of(form: AppraisalForm, label: str) -> SourceMap:
    """The mapping the loader checks: sheets ``Appraisal``, ``Costs`` and ``Outcomes`` as in
    the XLSX template, each line's row its number on the form (the first cost is row 1).
    Raises InputError for a field whose ``{...}`` or ``[...]`` is not YAML."""
    problems: list[Problem] = []
    root = SourceMap()
    head = _source(form.settings, "Appraisal", None, "appraisal", label, problems)
    root["appraisal"] = head
    for key, sheet, lines in (
        ("costs", "Costs", form.costs),
        ("outcomes", "Outcomes", form.outcomes),
    ):
        root[key] = [
            _source(fields, sheet, i + 1, f"{key}[{i}]", label, problems)
            for i, fields in enumerate(lines)
        ]
    if problems:
        raise InputError(problems)
    return root


def _source(
    fields: Fields, sheet: str, row: int | None, path: str, label: str, problems: list[Problem]
) -> SourceMap:
    m = _at(SourceMap(), sheet, row)
    for key, text in fields.items():
        if text.strip() == "":
            continue
        try:
            m[key] = _value(key, text, label, sheet, row)
        except yaml.YAMLError as exc:
            problems.append(
                Problem(
                    label,
                    row,
                    f"{path}.{key}",
                    text,
                    f"not valid YAML ({getattr(exc, 'problem', exc)})",
                    "write a number, or {dist: triangular, low: 0.1, mode: 0.2, high: 0.3}",
                    sheet=sheet,
                )
            )
            continue
        if row is not None:
            m.lines[key] = row
    return m


def _at(m: SourceMap, sheet: str, row: int | None) -> SourceMap:
    """``m`` and every mapping in it placed at ``row`` of ``sheet``."""
    m.sheet = sheet
    m.line = row
    for k, v in m.items():
        if row is not None:
            m.lines[k] = row
        if isinstance(v, SourceMap):
            _at(v, sheet, row)
    return m


def _value(key: str, text: str, label: str, sheet: str, row: int | None) -> Any:
    t = text.strip()
    if key in TEXT_FIELDS:
        return t
    if key == "transfer":
        low = t.lower()
        return True if low in _TRUE else False if low in _FALSE else t
    if t.startswith(("{", "[")):
        parsed = load_yaml_text(t, label, YamlLoader)
        if isinstance(parsed, SourceMap):
            _at(parsed, sheet, row)
        return parsed
    if key in LIST_FIELDS and ("," in t or key in ALWAYS_LIST):
        return [_scalar(x) for x in t.split(",")]
    return _scalar(t)


def _scalar(text: str) -> Decimal | str:
    t = text.strip()
    return Decimal(t) if _NUMBER.match(t) else t


# -- back to a file --------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, d: Decimal) -> yaml.ScalarNode:
    tag = "int" if d == d.to_integral_value() and "." not in str(d) else "float"
    return dumper.represent_scalar(f"tag:yaml.org,2002:{tag}", str(d))


def _mapping(dumper: yaml.SafeDumper, m: SourceMap) -> yaml.MappingNode:
    return dumper.represent_dict(dict(m))


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(SourceMap, _mapping)


def yaml_text(form: AppraisalForm, label: str = "appraisal.yaml") -> str:
    """The appraisal as a YAML file ``wholeplace cba run`` reads, exactly as the form says it
    (numbers as typed). Raises InputError as :func:`source_of` does."""
    root = source_of(form, label)
    head = {"appraisal": dict(root["appraisal"])}
    lines = {
        "costs": [dict(c) for c in root["costs"]],
        "outcomes": [dict(o) for o in root["outcomes"]],
    }
    # the settings one to a line; each line's lists and distributions on one line
    return (
        "# Edited in the wholeplace web application; run it: wholeplace cba run FILE\n"
        + _dump(head, flow=False)
        + _dump(lines, flow=None)
    )


def _dump(doc: dict[str, Any], flow: bool | None) -> str:
    text: str = yaml.dump(
        doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=flow
    )
    return text
