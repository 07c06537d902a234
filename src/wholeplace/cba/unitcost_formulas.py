"""The Unit Cost Database's sheets as grids, and a tiny exact evaluator for the arithmetic
formulas the database uses in value cells (evaluated in Decimal, so that uprating is exact)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation, localcontext
from pathlib import Path
from typing import Any

from wholeplace.errors import Problems
from wholeplace.workbook_limits import check_workbook, check_xls


class Grid:
    """A sheet as rows of values (1-based), with formulas alongside for .xlsx, and the cell
    notes (comments) by (row, column)."""

    def __init__(
        self,
        name: str,
        values: list[list[Any]],
        formulas: list[list[Any]] | None = None,
        notes: dict[tuple[int, int], str] | None = None,
    ) -> None:
        self.name = name
        self.values = values
        self.formulas = formulas
        self.notes = notes or {}

    def note(self, row: int, col: int) -> str:
        return self.notes.get((row, col), "")

    def v(self, row: int, col: int) -> Any:
        if row - 1 < len(self.values) and col - 1 < len(self.values[row - 1]):
            return self.values[row - 1][col - 1]
        return None

    def f(self, row: int, col: int) -> Any:
        if self.formulas is None:
            return self.v(row, col)
        if row - 1 < len(self.formulas) and col - 1 < len(self.formulas[row - 1]):
            return self.formulas[row - 1][col - 1]
        return None

    @property
    def nrows(self) -> int:
        return len(self.values)


def load_grids(path: Path) -> dict[str, Grid]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        check_workbook(path)
        # Formulas from a full load, which also has the cell notes (a read-only load has
        # none); the values Excel cached from a read-only one.
        wf = openpyxl.load_workbook(path, read_only=False, data_only=False)
        wv = openpyxl.load_workbook(path, read_only=True, data_only=True)
        grids = {}
        for name in wf.sheetnames:
            sheet = wf[name]
            fr: list[list[Any]] = []
            notes: dict[tuple[int, int], str] = {}
            for row in sheet.iter_rows():
                fr.append([c.value for c in row])
                for c in row:
                    if c.comment is not None and c.comment.text:
                        notes[(c.row, c.column)] = c.comment.text
            vr = [list(r) for r in wv[name].iter_rows(values_only=True)]
            grids[name] = Grid(name, vr, fr, notes)
        wf.close()
        wv.close()
        return grids
    if suffix == ".xls":
        import xlrd

        check_xls(path)

        book = xlrd.open_workbook(str(path))
        grids = {}
        for sh in book.sheets():
            rows = []
            for r in range(sh.nrows):
                row = []
                for c in range(sh.ncols):
                    cell = sh.cell(r, c)
                    row.append(None if cell.ctype in (0, 6) else cell.value)
                rows.append(row)
            notes = {(r + 1, c + 1): n.text for (r, c), n in sh.cell_note_map.items() if n.text}
            grids[sh.name.strip()] = Grid(sh.name.strip(), rows, None, notes)
        return grids
    not_a_book = Problems(path.name)
    not_a_book.add(
        None,
        None,
        path.suffix,
        "not a Unit Cost Database workbook",
        "give the .xlsx (v1.4) or .xls (v1.2) workbook as published by New Economy",
    )
    raise not_a_book.error()


# A tiny exact evaluator for the arithmetic formulas the database uses in value cells.
_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)|(?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)"
    r"|(?P<ref>\$?[A-Z]{1,3}\$?\d+)|(?P<fn>SUM)\s*\(|(?P<op>[-+*/()]))"
)


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _ref(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", text)
    assert m
    return int(m.group(2)), _col_index(m.group(1))


class FormulaError(Exception):
    pass


def _tokens(src: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if not m or m.end() == pos:
            raise FormulaError(src[pos:])
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


_ADD_SUB: dict[str, Callable[[Decimal, Decimal], Decimal]] = {"+": operator.add, "-": operator.sub}
_MUL_DIV: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "*": operator.mul,
    "/": operator.truediv,
}


class _Evaluator:
    """Recursive descent over one formula's tokens, left to right::

    expr := term (("+" | "-") term)*    term := atom (("*" | "/") atom)*
    atom := number | cell | SUM(range) | "(" expr ")" | ("-" | "+") atom
    """

    def __init__(self, grid: Grid, tokens: list[tuple[str, str]], depth: int) -> None:
        self.grid = grid
        self.tokens = tokens
        self.depth = depth
        self.i = 0

    def cell(self, row: int, col: int) -> Decimal:
        raw = self.grid.f(row, col)
        if raw is None or raw == "":
            return Decimal(0)
        return cell_number(self.grid, raw, self.depth + 1)

    def sum_range(self) -> Decimal:
        kind, rng = self.tokens[self.i]
        if kind != "range" or self.tokens[self.i + 1] != ("op", ")"):
            raise FormulaError("SUM of something other than one range")
        self.i += 2
        a, b = rng.split(":")
        (r1, c1), (r2, c2) = _ref(a), _ref(b)
        total = Decimal(0)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                total += self.cell(r, c)
        return total

    def atom(self) -> Decimal:
        kind, tok = self.tokens[self.i]
        self.i += 1
        if kind == "num":
            return Decimal(tok)
        if kind == "ref":
            return self.cell(*_ref(tok))
        if kind == "fn":
            return self.sum_range()
        if tok == "(":
            v = self.expr()
            if self.tokens[self.i] != ("op", ")"):
                raise FormulaError("unbalanced")
            self.i += 1
            return v
        if tok == "-":
            return -self.atom()
        if tok == "+":
            return self.atom()
        raise FormulaError(tok)

    def chain(
        self,
        operand: Callable[[], Decimal],
        ops: dict[str, Callable[[Decimal, Decimal], Decimal]],
    ) -> Decimal:
        """``operand (op operand)*`` for the operators in ``ops``, applied left to right."""
        v = operand()
        while self.i < len(self.tokens) and self.tokens[self.i][1] in ops:
            op = ops[self.tokens[self.i][1]]
            self.i += 1
            v = op(v, operand())
        return v

    def term(self) -> Decimal:
        return self.chain(self.atom, _MUL_DIV)

    def expr(self) -> Decimal:
        return self.chain(self.term, _ADD_SUB)


def eval_formula(grid: Grid, formula: str, depth: int = 0) -> Decimal:
    """The exact value of an arithmetic formula (``=3308/40``, ``=SUM(H73:H75)``) in ``grid``."""
    if depth > 10:
        raise FormulaError("too deep")
    src = formula.lstrip("=").strip()
    ev = _Evaluator(grid, _tokens(src), depth)
    with localcontext() as ctx:
        ctx.prec = 40
        try:
            result = ev.expr()
        except (IndexError, InvalidOperation, ZeroDivisionError) as exc:
            raise FormulaError(src) from exc
    if ev.i != len(ev.tokens):
        raise FormulaError(src)
    return result


def cell_number(grid: Grid, raw: Any, depth: int = 0) -> Decimal:
    if isinstance(raw, bool):
        raise FormulaError("boolean")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    if isinstance(raw, str):
        s = raw.strip()
        if s.startswith("="):
            return eval_formula(grid, s, depth)
        try:
            return Decimal(s.replace(",", "").replace("£", ""))
        except InvalidOperation as exc:
            raise FormulaError(s) from exc
    raise FormulaError(repr(raw))
