"""Reading YAML a person gave us, with limits: a tiny file must not exhaust memory.

A "billion laughs" file (anchors that alias anchors, nine levels deep) is 1.2 KB on disk and
billions of values once its aliases are expanded. PyYAML composes the document into nodes
without expanding aliases, so the node graph is walked first, counting every value as the
expanded document would hold it, and refused past the limits below before anything is built.
The same walk refuses a key that is a list or a mapping (``? [a, b]``, ``{[1]: 2}``): Python
cannot use one as a key, and every reader of the file would fail on it.

:func:`read_yaml_file` reads the file itself: a file that is not UTF-8, or a path that is a
folder, is refused with the problem table like any other bad input.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from wholeplace.errors import InputError, Problem, Problems

# Far beyond any appraisal, pool or parameter file (the largest shipped one has a few hundred
# values); stated in docs/formats.md.
MAX_VALUES = 100_000
MAX_DEPTH = 50


def _check(node: yaml.Node, label: str) -> None:
    values = 0
    stack: list[tuple[yaml.Node, int]] = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        values += 1
        if values > MAX_VALUES:
            raise _refused(
                label,
                f"holds more than {MAX_VALUES:,} values once its aliases (*name) are expanded",
                "write the values out instead of repeating anchors (&name) inside anchors",
            )
        if depth > MAX_DEPTH:
            raise _refused(
                label,
                f"is nested more than {MAX_DEPTH} levels deep",
                "flatten the file: appraisals, pools and parameters need a few levels only",
            )
        if isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if isinstance(key, (yaml.SequenceNode, yaml.MappingNode)):
                    raise _refused(
                        label,
                        "has a key that is a list or a mapping, not a name",
                        "write each key as a plain name or number (e.g. costs:), "
                        "with its values after the colon",
                        row=key.start_mark.line + 1,
                    )
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))


def _refused(label: str, message: str, fix: str, row: int | None = None) -> InputError:
    return InputError([Problem(label, row, None, None, f"this YAML {message}", fix)])


def read_yaml_file(
    path: Path | str, label: str | None = None, not_utf8_fix: str | None = None
) -> str:
    """The text of the YAML file at ``path`` (UTF-8, a byte-order mark allowed).

    Raises :class:`InputError` naming ``label`` (default: the file's name) if the file is
    missing, cannot be read (a folder, a name too long) or is not UTF-8 text; for the last,
    ``not_utf8_fix`` is the fix to give, where the caller knows better what the file is.
    """
    path = Path(path)
    label = label or path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise _refused_file(label, str(path), "file not found", "check the path") from exc
    except OSError as exc:
        raise _refused_file(
            label,
            str(path),
            f"this file cannot be read ({exc.strerror or exc})",
            "give the path of a YAML file",
        ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refused_file(
            label,
            None,
            f"this file is not UTF-8 text (byte {exc.start + 1} is not UTF-8)",
            not_utf8_fix or "save it as UTF-8 (in Notepad: File > Save as, Encoding: UTF-8)",
        ) from exc


def _refused_file(label: str, value: str | None, message: str, fix: str) -> InputError:
    return InputError([Problem(label, None, None, value, message, fix)])


def load_yaml_text(text: str, label: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """Parse ``text`` with ``loader`` (a SafeLoader) within the limits; ``label`` names it.

    Raises :class:`yaml.YAMLError` for a syntax error (callers say which line) and
    :class:`InputError` for a file beyond the limits, or with a value its tag does not fit.
    """
    reader = loader(text)
    try:
        try:
            node = reader.get_single_node()
        except RecursionError as exc:  # the composer itself recurses on nesting
            raise _refused(
                label, f"is nested more than {MAX_DEPTH} levels deep", "flatten the file"
            ) from exc
        if node is None:
            return None
        _check(node, label)
        try:
            return reader.construct_document(node)
        except (ValueError, KeyError, AttributeError) as exc:
            # PyYAML's own constructors fail so on an explicit tag whose value does not fit
            # it (!!int abc, !!bool maybe, !!timestamp x) rather than with a YAMLError
            raise _refused(
                label,
                f"has a value its tag (!!int, !!float, !!bool, !!timestamp ...) does not fit "
                f"({type(exc).__name__}: {exc})",
                "remove the !!tag before the value, or write the value the tag asks for",
            ) from exc
    finally:
        reader.dispose()


def parse_yaml(text: str, label: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """:func:`load_yaml_text`, with a syntax error turned into the problem table: the line
    it is on, what the parser found, and what to check. Every YAML file a person gives us
    is read through this (or :func:`load_yaml_text` where the caller says more)."""
    try:
        return load_yaml_text(text, label, loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            [
                Problem(
                    label,
                    None if mark is None else mark.line + 1,
                    None,
                    None,
                    f"this is not valid YAML ({getattr(exc, 'problem', exc)})",
                    "check the indentation and the colons on that line, and that lists are "
                    "written [a, b] or as '- ' items",
                )
            ]
        ) from exc


class LinedMap(dict[Any, Any]):
    """A YAML mapping that remembers the line of each key (``lines``) and its own (``line``),
    so a problem can name the line a person wrote the value on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line: int | None = None
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int | None:
        return self.lines.get(key, self.line)


def _lined_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LinedMap:
    loader.flatten_mapping(node)
    m = LinedMap()
    m.line = node.start_mark.line + 1
    for k_node, v_node in node.value:
        k = loader.construct_object(k_node, deep=True)
        m[k] = loader.construct_object(v_node, deep=True)
        m.lines[k] = k_node.start_mark.line + 1
    return m


class LineLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings are :class:`LinedMap` (``cba.checks.YamlLoader`` is the
    older copy of this, kept there until the appraisal loader moves onto this one)."""


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _lined_mapping)


class ItemReader:
    """The checks of one YAML file's items, shared by the files people write by hand
    (governance registers, outcomes frameworks): each method records a problem on the line
    the person wrote and returns None when the value is wrong. ``partners`` None means any
    partner id is accepted (a file read without a place)."""

    def __init__(self, label: str, partners: set[str] | None) -> None:
        self.p = Problems(label)
        self.partners = partners

    def add(self, sheet: str, item: LinedMap, key: str, value: object, msg: str, fix: str) -> None:
        shown = None if value is None else str(value)[:200]
        self.p.add(item.line_of(key), key, shown, msg, fix, sheet=sheet)

    def text(self, s: str, item: LinedMap, key: str, required: bool = True) -> str | None:
        v = item.get(key)
        if v is None or (isinstance(v, str) and not v.strip()):
            if required:
                self.add(s, item, key, None, f"{key} is missing", f"give the {key}")
            return None
        if not isinstance(v, (str, int, float)) or isinstance(v, bool):
            self.add(s, item, key, v, f"{key} must be text", f"write the {key} as text")
            return None
        return str(v).strip()

    def texts(self, s: str, item: LinedMap, key: str, required: bool = True) -> tuple[str, ...]:
        v = item.get(key)
        if isinstance(v, str):
            v = [v]
        if v is None or v == []:
            if required:
                self.add(s, item, key, None, f"{key} is missing", f"list the {key}")
            return ()
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            self.add(s, item, key, v, f"{key} must be a list of text", f"write {key}: [a, b]")
            return ()
        return tuple(x.strip() for x in v)

    def partner(self, s: str, item: LinedMap, key: str) -> str | None:
        v = self.text(s, item, key)
        if v is not None and self.partners is not None and v not in self.partners:
            known = ", ".join(sorted(self.partners)) or "none yet"
            self.add(
                s,
                item,
                key,
                v,
                "not a partner of this place",
                f"use a partner id ({known}), or add it with `wholeplace partners add`",
            )
            return None
        return v

    def day(self, s: str, item: LinedMap, key: str, required: bool = True) -> date | None:
        v = item.get(key)
        if v is None:
            if required:
                self.add(s, item, key, None, f"{key} is missing", "give a date: 2025-03-31")
            return None
        if isinstance(v, date):
            return v
        try:
            return date.fromisoformat(str(v).strip())
        except ValueError:
            self.add(s, item, key, v, "not a date", "write the date as 2025-03-31")
            return None
