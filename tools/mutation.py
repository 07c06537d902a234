"""Mutation testing: put one small deliberate bug into a module at a time and run the tests that
cover it. A mutant the tests fail on is *killed*; one they pass with has *survived*, and names a
bug the suite would let through.

Run it from the repository root, one module at a time, with the tests that cover that module::

    .venv/bin/python tools/mutation.py src/wholeplace/money.py tests/core/test_money.py
    .venv/bin/python tools/mutation.py src/wholeplace/money.py          # the tests listed below
    .venv/bin/python tools/mutation.py src/wholeplace/money.py --list   # the mutants, not run

It prints the number of mutants, killed, survived and the score, then each survivor as
``file:line: the mutation | the line``. Mutants listed as equivalent in ``docs/testing.md``
(a table under "Equivalent mutants": the module, the line as written, the mutation and why no
test can tell it apart) are left out of the score; the per-module scores are recorded there too.

How: the package is copied once to a temporary folder; for each mutant the module's copy is
rewritten with the one change and ``pytest -x -q`` runs the named tests against the copy
(``PYTHONPATH``), so the working tree is never touched. A baseline run under coverage first
checks the tests pass unmutated and finds the lines they run: a mutant on a line no test runs
is reported as surviving without a run. A mutant whose tests run longer than three times the
baseline (plus 10 s) counts as killed (a loop that no longer ends).

The mutations (each applied alone): ``+``/``-``, ``*``/``/``, ``//``, ``%`` and ``**`` swapped;
``<`` and ``<=`` (and ``>``, ``>=``) swapped, ``==``/``!=``, ``is``/``is not``, ``in``/``not in``;
``and``/``or``; a unary ``-`` or ``not`` removed; a number ``n`` made ``n + 1`` (also inside a
numeric string such as ``Decimal("0.01")``); a string ``s`` made ``"XXsXX"``; ``True``/``False``;
``min``/``max``, ``any``/``all``; ``break``/``continue``; ``return x`` made ``return None``; an
expression statement (a call such as ``problems.add(...)``) or an augmented assignment deleted;
one keyword argument of a call removed. Docstrings, type annotations and ``Literal[...]``,
``zip(..., strict=True)``
and lines ending ``# pragma: no mutate`` are not mutated.

Why not mutmut: mutmut 3.8.1 was tried on ``money.py`` with ``tests/core/test_money.py``. It
copies the sources into ``mutants/`` and reruns the tests there, but with this project's src layout
and editable install the tests still imported the unmutated package, so its statistics run found
"no test case for any mutant" and stopped (also with ``PYTHONPATH=mutants/src``). This script
needs no configuration, leaves the working tree alone, and runs exactly the tests it is given.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "wholeplace"
TESTING_DOC = ROOT / "docs" / "testing.md"

# The tests that cover each module measured in docs/testing.md, so a bare module name runs the
# same selection each time. Narrow on purpose: mutation runs are CPU-heavy.
DEFAULT_TESTS: dict[str, list[str]] = {
    # The amount grammar's own tests (issue 11), without the ones that run whole imports at
    # the command line (seconds each): those check the problem table, not the grammar.
    "src/wholeplace/money.py": [
        "tests/core/test_money.py",
        "tests/security/test_amounts.py::test_the_grammar_by_hand",
        "tests/security/test_amounts.py::test_python_and_sql_read_every_text_alike",
        "tests/security/test_amounts.py::test_the_one_pass_takes_only_amounts_it_reads_alike",
        "tests/security/test_amounts.py::test_python_and_sql_agree_on_generated_texts",
    ],
    # The two property tests over any lines (DuckDB, 85 examples) take minutes on the 2-core
    # machine; the hand-worked tests run here.
    "src/wholeplace/spend/consolidate.py": [
        "tests/spend/test_spend_consolidate.py",
        "tests/spend/test_consolidate_views.py",
        "-m",
        "not spark and not browser",
        "-k",
        "not any_lines and not demo",
    ],
    "src/wholeplace/sharing/rules.py": [
        "tests/sharing/test_sharing_rule_spellings.py",
        "tests/sharing/test_sharing_rules.py",
        "tests/sharing/test_sharing_pool.py",
        "-k",
        "not round_to_total and not apportion_always",
    ],
    "src/wholeplace/sharing/pooled_budget.py": [
        "tests/sharing/test_sharing_pool.py",
        "tests/sharing/test_sharing_rule_spellings.py",
    ],
    "src/wholeplace/sharing/gain_sharing/compute.py": [
        "tests/sharing/test_sharing_gainshare_exact.py",
        "tests/sharing/test_sharing_gainshare.py",
    ],
    "src/wholeplace/sharing/staff_recharges.py": ["tests/sharing/test_sharing_recharges.py"],
    "src/wholeplace/cba/compute.py": [
        "tests/cba/test_cba_exact.py",
        "tests/cba/test_cba_compute_detail.py",
        "tests/cba/test_cba_model.py",
        "tests/cba/test_cba_discounting.py",
    ],
    "src/wholeplace/cba/discounting.py": [
        "tests/cba/test_cba_exact.py",
        "tests/cba/test_cba_discounting.py",
    ],
    "src/wholeplace/framework/scoring.py": [
        "tests/framework/test_framework_scoring.py",
        "tests/framework/test_framework_scoring_json.py",
        "tests/framework/test_framework_docs.py",
    ],
    "src/wholeplace/objectives/findings.py": [
        "tests/objectives/test_findings.py",
        "tests/objectives/test_findings_words.py",
    ],
    "src/wholeplace/objectives/matrix.py": ["tests/objectives/test_matrix.py"],
    "src/wholeplace/governance/checks.py": [
        "tests/governance/test_governance_dates.py",
        "tests/governance/test_governance_words.py",
    ],
    # test_spend_basis.py reads the published Revenue Outturn: set WHOLEPLACE_REFERENCE.
    "src/wholeplace/spend/basis.py": [
        "tests/spend/test_spend_basis_words.py",
        "tests/spend/test_spend_basis.py",
    ],
    "src/wholeplace/sharing/pbr/funding.py": [
        "tests/sharing/test_pbr_funding_json.py",
        "tests/sharing/test_pbr_confirmed.py::test_funding_basis_by_hand",
        "tests/sharing/test_pbr_confirmed.py::test_bad_allocations_and_statuses_are_refused",
    ],
    "src/wholeplace/cba/appraisal.py": [
        "tests/cba/test_cba_exact.py",
        "tests/cba/test_cba_model.py",
        "tests/cba/test_cba_discounting.py",
    ],
    "src/wholeplace/outcomes/additionality.py": ["tests/outcomes/test_outcomes_additionality.py"],
    "src/wholeplace/outcomes/scorecard.py": [
        "tests/outcomes/test_outcomes_scorecard.py",
        "tests/outcomes/test_outcomes_scorecard_rows.py",
    ],
    # The two tests that build a workspace (seconds each) check the importer and the command
    # line, not the computation; the hand-worked tests run here.
    "src/wholeplace/assets/opportunities.py": [
        "tests/assets/test_assets_colocation_exact.py",
        "tests/assets/test_assets_opportunities.py",
        "-k",
        "not cli_travel_times and not need_of_the_areas",
    ],
    # The table by hand, without a web server: the route-by-route matrix in test_web_access.py
    # drives every route with every role (minutes a mutant) and reads PERMISSIONS itself.
    "src/wholeplace/web/access.py": ["tests/web/test_web_access_table.py"],
}

# Where a module mixes a computation with its file reading, the score in docs/testing.md is of
# the computation: these functions and classes (``--all`` mutates the whole module).
DEFAULT_FUNCTIONS: dict[str, list[str]] = {
    "src/wholeplace/sharing/pooled_budget.py": [
        "Contribution",
        "PoolYear",
        "PoolResult",
        "compute_pool",
    ],
    "src/wholeplace/sharing/staff_recharges.py": ["RechargeResult", "compute_recharges"],
    "src/wholeplace/cba/appraisal.py": ["Dist", "Settings", "OutcomeLine"],
    # asset NPV: the co-location estimate, not the disposal list
    "src/wholeplace/assets/opportunities.py": [
        "Criteria",
        "under_used",
        "Pair",
        "CoLocation",
        "_point",
        "pairs_within",
        "pairs_by_road",
        "_groups",
        "_used_m2",
        "co_locations",
    ],
}

_BINOP_SWAP: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.Mult,
    ast.Pow: ast.Mult,
    ast.BitOr: ast.BitAnd,
    ast.BitAnd: ast.BitOr,
}
_CMP_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_SYMBOL = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.And: "and",
    ast.Or: "or",
}
_NAME_SWAP = {"min": "max", "max": "min", "any": "all", "all": "any"}
# Keywords whose removal changes nothing a correct program can see.
_KEEP_KEYWORDS = {"strict"}


@dataclass(frozen=True)
class Mutant:
    number: int
    line: int
    mutation: str
    code: str  # the original line, stripped
    node: int  # index of the node in ast.walk order
    kind: str
    detail: str = ""


@dataclass
class Outcome:
    mutant: Mutant
    status: str  # killed, survived, timeout, not covered, equivalent
    seconds: float = 0.0


def _walk(tree: ast.AST) -> list[ast.AST]:
    return list(ast.walk(tree))


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """ids of nodes never mutated: docstrings and annotations (and all below them)."""
    skip: set[int] = set()

    def below(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                below(body[0])
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            below(node.returns)
            for a in [*node.args.args, *node.args.posonlyargs, *node.args.kwonlyargs]:
                below(a.annotation)
            below(node.args.vararg.annotation if node.args.vararg else None)
            below(node.args.kwarg.annotation if node.args.kwarg else None)
        if isinstance(node, ast.AnnAssign):
            below(node.annotation)
        if isinstance(node, ast.FormattedValue):
            below(node.format_spec)
        if isinstance(node, ast.ImportFrom | ast.Import):
            below(node)
        if isinstance(node, ast.keyword) and node.arg in _KEEP_KEYWORDS:
            below(node)
        # Literal[...] only tells the type checker which strings are allowed
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Literal"
        ):
            below(node)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "TypeVar"
        ):
            below(node)
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            below(node)
    return skip


def _numeric(text: str) -> Decimal | None:
    if not re.fullmatch(r"-?\d+(\.\d+)?", text.strip()):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex guards this
        return None


def _bump(text: str) -> str:
    d = _numeric(text)
    assert d is not None
    return str(d + 1)


def _statement_lines(tree: ast.Module) -> dict[int, int]:
    """For each node id, the first line of the innermost statement holding it (the line
    coverage records as run)."""
    out: dict[int, int] = {}

    def visit(node: ast.AST, stmt_line: int) -> None:
        line = node.lineno if isinstance(node, ast.stmt) else stmt_line
        out[id(node)] = line
        for child in ast.iter_child_nodes(node):
            visit(child, line)

    visit(tree, 1)
    return out


def find_mutants(source: str, functions: set[str] | None = None) -> list[Mutant]:
    """Every mutant of ``source`` (optionally only inside the named functions or classes)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    skip = _skipped_nodes(tree)
    inside: set[int] | None = None
    if functions:
        inside = set()
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and node.name in functions
            ):
                inside.update(id(n) for n in ast.walk(node))
    found: list[tuple[int, str, str, str]] = []  # node index, kind, description, detail
    nodes = _walk(tree)
    for i, node in enumerate(nodes):
        if id(node) in skip or (inside is not None and id(node) not in inside):
            continue
        line = getattr(node, "lineno", None)
        if line is not None and lines[line - 1].rstrip().endswith("# pragma: no mutate"):
            continue
        for kind, desc, detail in _mutations_of(node):
            found.append((i, kind, desc, detail))
    found.sort(key=lambda f: (nodes[f[0]].lineno, nodes[f[0]].col_offset))  # type: ignore[attr-defined]
    out = []
    for n, (i, kind, desc, detail) in enumerate(found, start=1):
        line = nodes[i].lineno  # type: ignore[attr-defined]
        out.append(Mutant(n, line, desc, lines[line - 1].strip(), i, kind, detail))
    return out


def _mutations_of(node: ast.AST) -> Iterator[tuple[str, str, str]]:
    """(kind, description, detail) of each mutation of this one node."""
    if isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in _BINOP_SWAP:
        a, b = type(node.op), _BINOP_SWAP[type(node.op)]
        suffix = "=" if isinstance(node, ast.AugAssign) else ""
        yield "binop", f"'{_SYMBOL[a]}{suffix}' -> '{_SYMBOL[b]}{suffix}'", ""
    if isinstance(node, ast.Compare):
        for k, op in enumerate(node.ops):
            if type(op) in _CMP_SWAP:
                yield (
                    "cmp",
                    f"'{_SYMBOL[type(op)]}' -> '{_SYMBOL[_CMP_SWAP[type(op)]]}'",
                    str(k),
                )
    if isinstance(node, ast.BoolOp):
        other = "or" if isinstance(node.op, ast.And) else "and"
        yield "boolop", f"'{_SYMBOL[type(node.op)]}' -> '{other}'", ""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.Not):
        sym = "-" if isinstance(node.op, ast.USub) else "not "
        yield "unary", f"'{sym}' removed", ""
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool):
            yield "const", f"{v} -> {not v}", ""
        elif isinstance(v, int | float):
            yield "const", f"{v!r} -> {v + 1!r}", ""
        elif isinstance(v, str):
            if _numeric(v) is not None:
                yield "const", f"{v!r} -> {_bump(v)!r}", ""
            else:
                short = v if len(v) <= 40 else v[:37] + "..."
                yield "const", f"{short!r} -> 'XX..XX'", ""
    if isinstance(node, ast.Name) and node.id in _NAME_SWAP and isinstance(node.ctx, ast.Load):
        yield "name", f"{node.id} -> {_NAME_SWAP[node.id]}", ""
    if isinstance(node, ast.Break):
        yield "flow", "break -> continue", ""
    if isinstance(node, ast.Continue):
        yield "flow", "continue -> break", ""
    if (
        isinstance(node, ast.Return)
        and node.value is not None
        and not (isinstance(node.value, ast.Constant) and node.value.value is None)
    ):
        yield "return", "return None", ""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        yield "delete", "statement deleted", ""
    if isinstance(node, ast.AugAssign):
        yield "delete", "statement deleted", ""
    if isinstance(node, ast.Call):
        for k, kw in enumerate(node.keywords):
            if kw.arg is not None and kw.arg not in _KEEP_KEYWORDS:
                yield "keyword", f"keyword {kw.arg}= removed", str(k)


def apply(source: str, mutant: Mutant) -> str:
    """``source`` with ``mutant`` applied, as source text."""
    tree = ast.parse(source)
    nodes = _walk(tree)
    node = nodes[mutant.node]
    if mutant.kind == "binop":
        assert isinstance(node, ast.BinOp | ast.AugAssign)
        node.op = _BINOP_SWAP[type(node.op)]()
    elif mutant.kind == "cmp":
        assert isinstance(node, ast.Compare)
        k = int(mutant.detail)
        node.ops[k] = _CMP_SWAP[type(node.ops[k])]()
    elif mutant.kind == "boolop":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif mutant.kind == "unary":
        assert isinstance(node, ast.UnaryOp)
        _replace(tree, node, node.operand)
    elif mutant.kind == "const":
        assert isinstance(node, ast.Constant)
        v = node.value
        if isinstance(v, bool):
            node.value = not v
        elif isinstance(v, int | float):
            node.value = v + 1
        elif _numeric(v) is not None:
            node.value = _bump(v)
        else:
            node.value = "XX" + v + "XX"
    elif mutant.kind == "name":
        assert isinstance(node, ast.Name)
        node.id = _NAME_SWAP[node.id]
    elif mutant.kind == "flow":
        _replace(tree, node, ast.Continue() if isinstance(node, ast.Break) else ast.Break())
    elif mutant.kind == "return":
        assert isinstance(node, ast.Return)
        node.value = ast.Constant(None)
    elif mutant.kind == "delete":
        _replace(tree, node, ast.Pass())
    elif mutant.kind == "keyword":
        assert isinstance(node, ast.Call)
        del node.keywords[int(mutant.detail)]
    else:  # pragma: no cover
        raise ValueError(mutant.kind)
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list):
                for k, item in enumerate(value):
                    if item is old:
                        value[k] = new
                        return
    raise ValueError("node not found")  # pragma: no cover


def equivalents(module: str) -> list[tuple[str, str]]:
    """(line as written, mutation) of each mutant of ``module`` that docs/testing.md lists as
    equivalent. Where several lines read the same, the line cell ends ``#N``: the N-th of them."""
    if not TESTING_DOC.exists():
        return []
    out = []
    in_table = False
    for raw in TESTING_DOC.read_text(encoding="utf-8").splitlines():
        if raw.startswith("#"):
            in_table = raw.lstrip("#").strip().lower().startswith("equivalent mutants")
            continue
        if not in_table or not raw.startswith("|"):
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", raw.strip())[1:-1]]
        if len(cells) < 3 or set(cells[0]) <= {"-", ":", " "} or cells[0] == "module":
            continue
        mod, code, mutation = (c.strip("`") for c in cells[:3])
        if mod == module:
            out.append((code, mutation))
    return out


def _prepare(tmp: Path) -> Path:
    dest = tmp / "src" / "wholeplace"
    shutil.copytree(PACKAGE, dest, ignore=shutil.ignore_patterns("__pycache__"))
    # Compiled once here; the mutated module is never cached (PYTHONDONTWRITEBYTECODE), so a
    # mutant of the same size within the same second can never be served from a stale .pyc.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(dest)], check=True, capture_output=True
    )
    return dest


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tmp / "src")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _pytest(tests: list[str]) -> list[str]:
    return ["-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]


def _drop_cache(target: Path) -> None:
    for pyc in (target.parent / "__pycache__").glob(target.stem + ".*.pyc"):
        pyc.unlink()


def baseline(tmp: Path, target: Path, tests: list[str]) -> tuple[float, set[int]]:
    """Seconds the unmutated tests take, and the lines of the module they run."""
    data = tmp / ".coverage"
    start = time.monotonic()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "coverage",
            "run",
            f"--data-file={data}",
            f"--include={target}",
            *_pytest(tests),
        ],
        cwd=ROOT,
        env=_env(tmp),
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - start
    if run.returncode != 0:
        sys.exit(f"the tests fail before any mutation:\n{run.stdout[-3000:]}{run.stderr[-2000:]}")
    import coverage

    cov = coverage.Coverage(data_file=str(data))
    cov.load()
    executed = cov.get_data().lines(str(target)) or []
    return seconds, set(executed)


# Imported once by this process, before any fork, so each mutant's run skips their start-up.
# wholeplace itself is never imported here: each forked run imports the mutated copy afresh.
_PRELOAD = ("pytest", "hypothesis", "numpy", "yaml", "openpyxl", "duckdb", "pyarrow", "ibis")


def _preload() -> None:
    import contextlib
    import importlib

    for name in _PRELOAD:
        with contextlib.suppress(ImportError):  # an optional speed-up only
            importlib.import_module(name)


def _run_forked(tmp: Path, tests: list[str], limit: float) -> str:
    """Run pytest on the copy in a forked child; ``killed``, ``survived`` or ``timeout``."""
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 3
        try:
            os.chdir(ROOT)
            sys.path.insert(0, str(tmp / "src"))
            sys.dont_write_bytecode = True
            fd = os.open(os.devnull, os.O_WRONLY)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            import pytest

            code = int(pytest.main(_pytest(tests)[2:]))
        finally:
            os._exit(code)
    deadline = time.monotonic() + limit
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.05)
    if code == 5:
        sys.exit("no tests were collected: check the test paths")
    return "survived" if code == 0 else "killed"


def run_mutant(
    tmp: Path, target: Path, source: str, m: Mutant, tests: list[str], limit: float
) -> str:
    target.write_text(apply(source, m), encoding="utf-8")
    _drop_cache(target)
    try:
        return _run_forked(tmp, tests, limit)
    finally:
        target.write_text(source, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("module", help="the module to mutate, e.g. src/wholeplace/money.py")
    ap.add_argument("tests", nargs="*", help="pytest arguments: the tests that cover it")
    ap.add_argument("--function", action="append", help="mutate only in this function or class")
    ap.add_argument("--line", action="append", type=int, help="mutate only on this line")
    ap.add_argument("--all", action="store_true", help="ignore the module's recorded functions")
    ap.add_argument("--list", action="store_true", help="list the mutants and stop")
    ap.add_argument("--json", type=Path, help="also write every outcome to this JSON file")
    args = ap.parse_args(argv)

    path = Path(args.module)
    if not path.suffix:
        path = Path("src", *args.module.split(".")).with_suffix(".py")
    path = (ROOT / path).resolve() if not path.is_absolute() else path
    rel = path.relative_to(ROOT).as_posix()
    tests = args.tests or DEFAULT_TESTS.get(rel)
    if not tests and not args.list:
        ap.error(f"name the tests that cover {rel} (no default selection for it)")
    source = path.read_text(encoding="utf-8")
    functions = args.function or (None if args.all else DEFAULT_FUNCTIONS.get(rel))
    mutants = find_mutants(source, set(functions) if functions else None)
    if args.line:
        mutants = [m for m in mutants if m.line in args.line]
    if args.list:
        for m in mutants:
            print(f"{rel}:{m.line}: {m.mutation} | {m.code}")
        print(f"{len(mutants)} mutants")
        return 0

    known = equivalents(rel)
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmpname:
        tmp = Path(tmpname)
        copy_root = _prepare(tmp)
        target = copy_root / path.relative_to(PACKAGE)
        seconds, executed = baseline(tmp, target, list(tests))
        limit = 3 * seconds + 10
        _preload()
        tree = ast.parse(source)
        stmt_line = _statement_lines(tree)
        nodes = _walk(tree)
        print(
            f"{rel}: {len(mutants)} mutants; tests {' '.join(tests)} take {seconds:.1f} s",
            flush=True,
        )
        same_text: dict[str, list[int]] = {}
        for number, text in enumerate(source.splitlines(), start=1):
            same_text.setdefault(text.strip(), []).append(number)
        matched: set[tuple[str, str]] = set()
        for m in mutants:
            nth = f"{m.code} #{same_text[m.code].index(m.line) + 1}"
            hit = {(m.code, m.mutation), (nth, m.mutation)} & set(known)
            if hit:
                matched |= hit
                outcomes.append(Outcome(m, "equivalent"))
                continue
            if stmt_line[id(nodes[m.node])] not in executed:
                outcomes.append(Outcome(m, "not covered"))
                continue
            t0 = time.monotonic()
            status = run_mutant(tmp, target, source, m, list(tests), limit)
            outcomes.append(Outcome(m, status, time.monotonic() - t0))
            mark = "." if status in ("killed", "timeout") else "S"
            print(mark, end="", flush=True)
        print()
    report(rel, outcomes)
    if not (args.function or args.line):
        for code, mutation in sorted(set(known) - matched):
            print(
                f"  docs/testing.md lists an equivalent mutant no longer found: {mutation} | {code}"
            )
    if args.json:
        args.json.write_text(
            json.dumps([{**asdict(o.mutant), "status": o.status} for o in outcomes], indent=1),
            encoding="utf-8",
        )
    return 0


def report(rel: str, outcomes: list[Outcome]) -> None:
    count = {
        s: sum(o.status == s for o in outcomes)
        for s in ("killed", "timeout", "survived", "not covered", "equivalent")
    }
    scored = len(outcomes) - count["equivalent"]
    killed = count["killed"] + count["timeout"]
    survived = count["survived"] + count["not covered"]
    score = 100 * killed / scored if scored else 100.0
    print(
        f"{rel}: {len(outcomes)} mutants, {count['equivalent']} equivalent (excluded); "
        f"killed {killed} (timeouts {count['timeout']}), survived {survived} "
        f"(on lines no test runs {count['not covered']}); score {score:.1f} %"
    )
    for o in outcomes:
        if o.status in ("survived", "not covered"):
            note = " (no test runs this line)" if o.status == "not covered" else ""
            print(f"  {rel}:{o.mutant.line}: {o.mutant.mutation}{note} | {o.mutant.code}")


if __name__ == "__main__":
    sys.exit(main())
