"""The government's Revenue Outturn Summary (RS) workbooks, read as published.

One row per English authority, one column per SeRCOP service division, in £ thousand of
net current expenditure. The workbooks differ from year to year (see
``docs/national.md``): title rows above a header that moves (row 6 in 2010-11 to
2014-15, row 7 in 2017-18 under a row of RS line numbers), footnote markers glued to
names ("Staffordshire (e)"), rows not sorted and an ENGLAND row in 2017-18, class
subtotals and notes below the data, one "Social care" column in 2010-11 and Public
Health only from 2013-14. The reader therefore finds the header by its ``E-code``
cell and the service columns by their labels, never by position.

Net current expenditure can be negative (a district's parking income exceeds its
highways spending), so negative lines are kept: they are what was published. Every line
is marked as net current expenditure (``basis`` = ``net``).

The specific and special grants inside and outside AEF that the RS gives for the whole
authority (taken off below net current expenditure, on the way to net revenue
expenditure) are written as the authority's income (``spend_income``, kind "specific
grants", a positive amount), shown beside its spend and never taken off it.

2010-11 reports children's and adults' social care as one column. The taxonomy has no
combined line, so the figure is split between CSC and ASC by the shares the same class
of authority reported in the first year with the split (RS 2011-12, class breakdown
rows), and both lines are marked as estimates with that method. Shire districts and
"other" authorities (whose 2011-12 class figures are near zero or negative) take the
England shares. The split conserves the published figure to the penny.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol, TypeVar

from wholeplace.errors import InputError, Problem, Problems
from wholeplace.money import apportion, to_money
from wholeplace.partners import Partner, partner_ids, upsert
from wholeplace.spend.lines import Income, Line, WriteResult, check_lines, write_lines
from wholeplace.tabular import same_column_twice
from wholeplace.workbook_limits import check_workbook, check_xls, reading_workbook
from wholeplace.workspace import Workspace, file_sha256
from wholeplace.years import parse_year

THOUSAND = Decimal(1000)
# Cells the statisticians leave without a figure: not available, not applicable.
_NOT_PUBLISHED = {"", "-", "..", "...", "\u2026", "x", ":", "n/a"}

# Label of an RS service column (lower case, footnote markers removed) -> taxonomy code.
# Matched as a prefix because labels are truncated or extended between years.
SERVICE_COLUMNS: list[tuple[str, str]] = [
    ("education services", "EDU"),
    ("highways and transport", "HTS"),
    ("children social care", "CSC"),
    ("children's social care", "CSC"),
    ("childrens social care", "CSC"),
    ("adult social care", "ASC"),
    ("public health", "PHS"),
    ("housing services", "HSG"),
    ("cultural and related", "CUL"),
    ("environmental and regulatory", "ENV"),
    ("planning and development", "PLN"),
    ("police services", "POL"),
    ("fire and rescue", "FIR"),
    ("central services", "CEN"),
    ("other services", "OTH"),
]
COMBINED_SOCIAL_CARE = "social care"
TOTAL_LABEL = "total service expenditure"
# Specific and special grants inside / outside AEF (RS lines 791 and 804 in 2017-18; the
# wording varies by year), published as negative figures: income.
GRANT_LABEL = re.compile(r"^specific and special (revenue )?grants (inside|outside) aef")

# RS 2011-12 (Revised 28-Nov-2013), sheet "RS LA Data 2011-12 (1)", class breakdown
# rows 457-462 and the ENGLAND row 454: children's social care, adult social care,
# £ thousand. The weights of the 2010-11 split (see the module docstring).
SPLIT_SOURCE = (
    "DCLG Revenue Outturn Summary (RS) 2011-12, Revised 28-Nov-2013, class breakdown rows"
)
SOCIAL_CARE_SPLIT: dict[str, tuple[int, int]] = {
    "L": (1300187, 2418585),
    "MD": (1623686, 3237221),
    "UA": (1483883, 3363844),
    "SC": (2014389, 5705646),
    "ENGLAND": (6422715, 14737687),
}
SPLIT_METHOD = (
    "2010-11 RS reports one 'Social care' column: split into children's and adult social "
    "care by the {cls} shares of RS 2011-12 ({csc:.1%} children's / {asc:.1%} adult)"
)

_FOOTNOTE = re.compile(r"(\s*\((?:[a-z]|[ivx]+|\d+)\))+\s*$|\s*[*†]+\s*$", re.I)
_ECODE = re.compile(r"^E\d{4}$")
_ONS = re.compile(r"^E\d{8}$")
_YEAR_IN_NAME = re.compile(r"(\d{4})\s*[-/]\s*(\d{2})")

CLASS_TYPES = {
    "SC": ("county council", "County councils"),
    "SD": ("district", "District and borough councils"),
    "UA": ("unitary", "Unitary authorities"),
    "MD": ("unitary", "Metropolitan districts"),
    "L": ("unitary", "London boroughs"),
}


def clean_name(name: str) -> str:
    """'Staffordshire (e)' -> 'Staffordshire'; 'New Forest NPA  ' -> 'New Forest NPA'."""
    return _FOOTNOTE.sub("", " ".join(str(name).split())).strip()


def _label_key(label: object) -> str:
    s = clean_name(str(label or "")).lower().replace("&", "and")
    return " ".join(s.split())


@dataclass(frozen=True)
class Authority:
    ecode: str
    ons_code: str | None
    name: str
    cls: str
    row: int  # the spreadsheet row a person sees (1-based)
    amounts: dict[str, Decimal]  # column label -> £ (not thousands), as published
    total_gbp: Decimal | None
    grants: dict[str, Decimal] = field(default_factory=dict)  # label -> £ of income (> 0)


@dataclass
class Workbook:
    file: str
    sheet: str
    year: str
    header_row: int
    columns: dict[str, str]  # published label -> taxonomy code (or "social care")
    authorities: list[Authority]
    skipped: list[tuple[int, str]] = field(default_factory=list)  # aggregate rows (row, name)

    def find(self, code: str) -> Authority:
        want = code.strip().upper()
        for a in self.authorities:
            if a.ecode == want or (a.ons_code or "") == want:
                return a
        names = [a for a in self.authorities if a.name.lower() == code.strip().lower()]
        if len(names) == 1:
            return names[0]
        raise InputError(
            [
                Problem(
                    self.file,
                    None,
                    "E-code",
                    code,
                    f"no authority with this E-code or ONS code in {self.year}",
                    "use the E-code (e.g. E3421) or the ONS code (e.g. E10000028); "
                    "`wholeplace spend import-outturn WORKBOOK --list` shows them",
                    sheet=self.sheet,
                )
            ]
        )


def _open_rows(path: Path) -> tuple[str, list[list[Any]]]:
    """The NCE data sheet of an RS workbook as a list of rows of cell values."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        check_xls(path)
        with reading_workbook(path):
            return _xls_rows(path)
    if suffix in (".xlsx", ".xlsm"):
        check_workbook(path)
        with reading_workbook(path):
            return _xlsx_rows(path)
    p = Problems(path.name)
    fix = "download the 'Revenue Outturn Summary (RS) data by LA' workbook"
    p.add(None, None, path.suffix, "not an RS workbook (.xls or .xlsx)", fix)
    raise p.error()


def _xls_rows(path: Path) -> tuple[str, list[list[Any]]]:
    import xlrd

    book = xlrd.open_workbook(str(path), on_demand=True)
    name = _pick_sheet(book.sheet_names(), path)
    sh = book.sheet_by_name(name)
    rows = [sh.row_values(r) for r in range(sh.nrows)]
    book.release_resources()
    return name, rows


def _xlsx_rows(path: Path) -> tuple[str, list[list[Any]]]:
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # print-area warnings of the published file
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        name = _pick_sheet(book.sheetnames, path)
        rows = [list(r) for r in book[name].iter_rows(values_only=True)]
    finally:
        book.close()
    return name, rows


def _pick_sheet(names: list[str], path: Path) -> str:
    data = [n for n in names if n.strip().lower().startswith("rs la data")]
    # 2010-11 to 2013-14 have (1) NCE, (2) capital charges, (3) net total cost.
    first = [n for n in data if n.strip().endswith("(1)")] or data
    if not first:
        p = Problems(path.name)
        why = "no 'RS LA Data' sheet: this is not an RS workbook by authority"
        fix = "use the 'Revenue Outturn Summary (RS) data by LA' workbook"
        p.add(None, None, ", ".join(names), why, fix)
        raise p.error()
    return first[0]


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _thousands(v: object) -> Decimal | None:
    """£ thousand as published -> £, to the penny. None for an empty cell."""
    if v is None or (isinstance(v, str) and v.strip() in _NOT_PUBLISHED):
        return None
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, (int, float)):
        d = Decimal(repr(float(v))) if isinstance(v, float) else Decimal(v)
    else:
        try:
            d = Decimal(str(v).replace(",", "").strip())
        except InvalidOperation as exc:
            raise ValueError(v) from exc
    if not d.is_finite():
        raise ValueError(v)
    return to_money(d * THOUSAND)


def read_workbook(path: Path | str) -> Workbook:
    """Read every authority of an RS workbook. Raises InputError listing every problem."""
    path = Path(path)
    sheet, rows = _open_rows(path)
    label = path.name
    problems: list[Problem] = []
    year = _year_of(label, sheet)
    header = _header_row(rows, label, sheet)
    cols = _columns_of(rows[header], header, label, sheet)
    authorities: list[Authority] = []
    skipped: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for i in range(header + 1, len(rows)):
        r = rows[i]
        n = i + 1
        ecode = _cell_text(r[0] if r else None).upper()
        name = clean_name(_cell_text(r[cols.name] if len(r) > cols.name else None))
        if not _ECODE.match(ecode):
            if name and any(_cell_text(c) for c in r[cols.total : cols.total + 1]):
                skipped.append((n, name))  # ENGLAND, class subtotals
            continue
        if ecode in seen:
            problems.append(
                Problem(
                    label,
                    n,
                    "E-code",
                    ecode,
                    f"the same authority appears twice (also row {seen[ecode]})",
                    "use the published workbook as downloaded",
                    sheet=sheet,
                )
            )
            continue
        seen[ecode] = n
        authorities.append(_authority(r, n, ecode, name, cols, label, sheet, problems))
    if not authorities:
        problems.append(
            Problem(label, None, "E-code", None, "no authority rows", "check the file", sheet=sheet)
        )
    if problems:
        raise InputError(problems)
    return Workbook(
        label,
        sheet,
        year,
        header + 1,
        {lab: code for lab, code in cols.services.values()},
        authorities,
        skipped,
    )


def _year_of(label: str, sheet: str) -> str:
    """The financial year, from the sheet's name or the file's."""
    m = _YEAR_IN_NAME.search(sheet) or _YEAR_IN_NAME.search(label)
    if not m:
        raise InputError(
            [Problem(label, None, None, sheet, "cannot tell the year", "name the file by year")]
        )
    return parse_year(f"{m.group(1)}/{m.group(2)}")


def _header_row(rows: list[list[Any]], label: str, sheet: str) -> int:
    """The index of the row with 'E-code' in column A (within the first 40 rows)."""
    header = next(
        (i for i, r in enumerate(rows[:40]) if r and _cell_text(r[0]).lower() == "e-code"),
        None,
    )
    if header is None:
        raise InputError(
            [
                Problem(
                    label,
                    None,
                    "E-code",
                    None,
                    "no header row with 'E-code' in column A in the first 40 rows",
                    "use the published workbook as downloaded",
                    sheet=sheet,
                )
            ]
        )
    return header


@dataclass
class _Columns:
    """Where things are in the sheet: column indexes."""

    name: int
    total: int
    ons: int | None
    cls: int | None
    services: dict[int, tuple[str, str]]  # column -> (published label, taxonomy code)
    grants: dict[int, str] = field(default_factory=dict)  # column -> published label


def _columns_of(cells: list[Any], header: int, label: str, sheet: str) -> _Columns:
    head = [_label_key(c) for c in cells]
    col_name = next((i for i, h in enumerate(head) if h.startswith("local authority")), None)
    col_ons = next((i for i, h in enumerate(head) if h.startswith("ons code")), None)
    col_class = next((i for i, h in enumerate(head) if h == "class"), None)
    columns: dict[int, tuple[str, str]] = {}
    col_total: int | None = None
    for i, h in enumerate(head):
        if h.startswith(TOTAL_LABEL):
            col_total = i
            break  # what follows (benefits, levies, financing) is not service spend
        if h == COMBINED_SOCIAL_CARE:
            columns[i] = (clean_name(str(cells[i])), COMBINED_SOCIAL_CARE)
            continue
        for prefix, code in SERVICE_COLUMNS:
            if h.startswith(prefix):
                columns[i] = (clean_name(str(cells[i])), code)
                break
    missing = [
        what
        for what, col in (("Local authority", col_name), ("TOTAL SERVICE EXPENDITURE", col_total))
        if col is None
    ]
    grants = {
        i: clean_name(str(cells[i]))
        for i, h in enumerate(head)
        if col_total is not None and i > col_total and GRANT_LABEL.match(h)
    }
    _refuse_same_column_twice(cells, head, columns, col_total, header, label, sheet)
    if missing or not columns or col_name is None or col_total is None:
        raise InputError(
            [
                Problem(
                    label,
                    header + 1,
                    ", ".join(missing) or "services",
                    None,
                    "the header row lacks the expected columns",
                    "use the published RS workbook as downloaded",
                    sheet=sheet,
                )
            ]
        )
    return _Columns(col_name, col_total, col_ons, col_class, columns, grants)


def _refuse_same_column_twice(
    cells: list[Any],
    head: list[str],
    services: dict[int, tuple[str, str]],
    col_total: int | None,
    header: int,
    label: str,
    sheet: str,
) -> None:
    """Two header cells read as the same column (two 'Education services', or 'Children
    social care' beside "Children's social care"): only the first is read, so the other's
    figures would be dropped without a word."""
    keys = [""] * len(head)
    for i, h in enumerate(head):
        if h.startswith("local authority"):
            keys[i] = "local authority"
        elif h.startswith("ons code"):
            keys[i] = "ons code"
        elif h == "class":
            keys[i] = "class"
        elif i == col_total:
            # the reader stops at the first total; later ones ("on non-IAS19 and PFI
            # basis") are other published lines, not a second copy of it
            keys[i] = TOTAL_LABEL
    for i, (_lab, code) in services.items():
        keys[i] = code
    p = Problems(label, sheet=sheet)
    same_column_twice(p, header + 1, keys, [_cell_text(c) for c in cells])
    p.raise_if_any()


def _authority(
    r: list[Any],
    n: int,
    ecode: str,
    name: str,
    cols: _Columns,
    label: str,
    sheet: str,
    problems: list[Problem],
) -> Authority:
    """One authority's row: its service amounts (£, from £ thousand) and published total."""
    amounts: dict[str, Decimal] = {}
    for c, (lab, _code) in cols.services.items():
        v = r[c] if c < len(r) else None
        try:
            amt = _thousands(v)
        except ValueError:
            problems.append(
                Problem(
                    label,
                    n,
                    lab,
                    _cell_text(v),
                    "not a number of £ thousand",
                    "use the published figure, or leave the cell empty",
                    sheet=sheet,
                )
            )
            continue
        if amt is not None:
            amounts[lab] = amt
    try:
        total = _thousands(r[cols.total] if cols.total < len(r) else None)
    except ValueError:
        total = None
    ons = _cell_text(r[cols.ons]).upper() if cols.ons is not None and cols.ons < len(r) else ""
    cls = _cell_text(r[cols.cls]).upper() if cols.cls is not None else ""
    grants: dict[str, Decimal] = {}
    for c, lab in cols.grants.items():
        try:
            g = _thousands(r[c] if c < len(r) else None)
        except ValueError:
            problems.append(
                Problem(
                    label,
                    n,
                    lab,
                    _cell_text(r[c]),
                    "not a number of £ thousand",
                    "use the published figure, or leave the cell empty",
                    sheet=sheet,
                )
            )
            continue
        if g:
            grants[lab] = -g  # published as negative: income
    return Authority(ecode, ons if _ONS.match(ons) else None, name, cls, n, amounts, total, grants)


def authority_income(wb: Workbook, a: Authority, partner: str) -> list[Income]:
    """The specific grants the RS gives for the authority, as its income."""
    source = f"{wb.file}, sheet {wb.sheet!r}, row {a.row} ({a.ecode} {a.name}); £ thousand"
    return [
        Income(
            partner, wb.year, None, "specific grants", lab, amount, source=source, source_row=a.row
        )
        for lab, amount in a.grants.items()
    ]


def authority_lines(wb: Workbook, a: Authority, partner: str) -> list[Line]:
    """The spend lines of one authority: one per non-zero service column."""
    source = f"{wb.file}, sheet {wb.sheet!r}, row {a.row} ({a.ecode} {a.name}); £ thousand NCE"
    out: list[Line] = []
    for lab, amount in a.amounts.items():
        code = wb.columns[lab]
        if amount == 0:
            continue
        if code != COMBINED_SOCIAL_CARE:
            out.append(
                Line(
                    partner,
                    wb.year,
                    code,
                    lab,
                    amount,
                    source=source,
                    source_row=a.row,
                    basis="net",
                )
            )
            continue
        cls = a.cls if a.cls in SOCIAL_CARE_SPLIT else "ENGLAND"
        w_csc, w_asc = SOCIAL_CARE_SPLIT[cls]
        csc, asc = apportion(amount, [w_csc, w_asc])
        method = SPLIT_METHOD.format(
            cls="England" if cls == "ENGLAND" else f"class {cls}",
            csc=w_csc / (w_csc + w_asc),
            asc=w_asc / (w_csc + w_asc),
        )
        for code2, part in (("CSC", csc), ("ASC", asc)):
            if part:
                out.append(
                    Line(
                        partner,
                        wb.year,
                        code2,
                        lab,
                        part,
                        subservice="children's" if code2 == "CSC" else "adults'",
                        is_estimate=True,
                        estimate_method=method,
                        source=f"{source}; split weights: {SPLIT_SOURCE}",
                        source_row=a.row,
                        basis="net",
                    )
                )
    return out


def partner_for(a: Authority) -> Partner:
    """A partner for an authority imported with ``--all`` (id = its E-code)."""
    if a.cls in CLASS_TYPES:
        ptype, group = CLASS_TYPES[a.cls]
        sector = "Local government"
    else:
        low = a.name.lower()
        if "police" in low or "crime" in low:
            ptype, group, sector = "police", "Police", "Police"
        elif "fire" in low:
            ptype, group, sector = "fire", "Fire and rescue", "Fire"
        elif "combined authority" in low:
            ptype, group, sector = "combined authority", "Combined authorities", "Local government"
        else:
            ptype, group, sector = "other", "Other authorities", "Local government"
    return Partner(a.ecode, a.name, ptype, group, sector)


@dataclass
class OutturnResult:
    year: str
    sheet: str
    authorities: list[Authority]
    written: WriteResult
    partners_added: list[str]
    skipped_rows: list[tuple[int, str]]
    mismatched_totals: list[tuple[str, Decimal, Decimal]]


A = TypeVar("A", bound="_Coded")


class _Coded(Protocol):
    @property
    def ecode(self) -> str: ...


def choose_authorities(
    file: str,
    authorities: Sequence[A],
    find: Callable[[str], A],
    authority: str | None,
    partner: str | None,
    all_authorities: bool,
) -> list[tuple[A, str]]:
    """The authorities an import takes, each with the partner id it goes to: every one under
    its own code (``--all``), or the one named, as ``partner`` or its code. Exactly one of
    the two must be asked for. Shared by the revenue and capital outturn imports, which take
    the same options."""
    if all_authorities == (authority is not None):
        raise InputError(
            [
                Problem(
                    file,
                    None,
                    None,
                    None,
                    "say which authority to import",
                    "pass --authority CODE --partner ID, or --all",
                )
            ]
        )
    if authority is None:
        return [(a, a.ecode) for a in authorities]
    a = find(authority)
    return [(a, partner or a.ecode)]


def import_outturn(
    ws: Workspace,
    path: Path | str,
    *,
    authority: str | None = None,
    partner: str | None = None,
    all_authorities: bool = False,
) -> OutturnResult:
    """Import one authority (``authority`` -> ``partner``) or every one (``all_authorities``).

    With ``all_authorities`` each authority becomes a partner whose id is its E-code
    (added if missing), in the same transaction as its lines.
    """
    path = Path(path)
    wb = read_workbook(path)
    chosen = choose_authorities(
        wb.file, wb.authorities, wb.find, authority, partner, all_authorities
    )
    known = partner_ids(ws)
    new = [partner_for(a) for a, pid in chosen if all_authorities and pid not in known]
    lines: list[Line] = []
    mismatched: list[tuple[str, Decimal, Decimal]] = []
    income: list[Income] = []
    for a, pid in chosen:
        these = authority_lines(wb, a, pid)
        lines.extend(these)
        if these:  # income goes with lines; an authority with none has nothing replaced
            income.extend(authority_income(wb, a, pid))
        if a.total_gbp is not None:
            s = sum(a.amounts.values(), Decimal("0.00"))
            # Published totals are rounded sums of unrounded figures: tolerate £1k a column.
            if abs(s - a.total_gbp) > THOUSAND * len(a.amounts):
                mismatched.append((a.ecode, s, a.total_gbp))
    problems = check_lines(ws, lines, label=wb.file, new_partners={p.id for p in new})
    if problems:
        raise InputError(problems)

    def add_partners() -> None:
        upsert(ws, new)

    written = write_lines(
        ws,
        lines,
        action="spend import-outturn",
        file=path,
        sha256=file_sha256(path),
        detail={
            "year": wb.year,
            "sheet": wb.sheet,
            "authorities": len(chosen),
            "partners_added": len(new),
        },
        before=add_partners,
        income=income,
    )
    return OutturnResult(
        wb.year,
        wb.sheet,
        [a for a, _ in chosen],
        written,
        [p.id for p in new],
        wb.skipped,
        mismatched,
    )
