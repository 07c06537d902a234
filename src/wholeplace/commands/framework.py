"""`wholeplace framework ...`: the ALPS self-assessment. Parse, call the service, render.

Commands that use the place's own data as evidence pass ``PlaceEvidence(ws)``, which reads
the spend map and linked files through the spend, cba and sharing services.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from wholeplace import framework as fw
from wholeplace.commands import common
from wholeplace.commands.common import JsonOpt, WorkspaceOpt, console, print_json
from wholeplace.errors import InputError, Problem
from wholeplace.framework.model import ANSWER_WORDS, DIMENSIONS, LEVELS, cell_label
from wholeplace.framework.report import band
from wholeplace.framework.scoring import Score
from wholeplace.place_evidence import PlaceEvidence

app = typer.Typer(
    help="How aligned are we? The ALPS self-assessment: statements, answers, scores, "
    "disagreement, the improvement plan and evidence from the place's own data.",
    no_args_is_help=True,
)
statement_app = typer.Typer(
    help="The place's own statements: add, edit, retire.", no_args_is_help=True
)
plan_app = typer.Typer(help="The improvement plan: show it, set owners and dates.")
evidence_app = typer.Typer(help="Evidence from the place's own data, and the files linked to it.")
app.add_typer(statement_app, name="statement")
app.add_typer(plan_app, name="plan")
app.add_typer(evidence_app, name="evidence")

AssessmentOpt = Annotated[
    str | None, typer.Option("--assessment", help="Assessment name (default: the latest)")
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Day to check evidence on, YYYY-MM-DD (default: today)"),
]


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            [Problem("command line", None, "--as-of", text, "not a date", "write it as 2026-03-31")]
        ) from None


def _pct(s: Score) -> str:
    name = band(s)[0]
    return name if s.pct is None else f"{s.pct}% {name}"


# -- the framework ---------------------------------------------------------------------


@app.command("statements")
def statements(
    level: Annotated[str | None, typer.Option(help="Only this level")] = None,
    dimension: Annotated[str | None, typer.Option(help="Only this dimension")] = None,
    retired: Annotated[bool, typer.Option("--retired", help="Include retired ones")] = False,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The place's framework: every statement with its questions and evidence."""
    with common.open_workspace(workspace, json_out) as ws:
        view = fw.framework(ws, show_retired=retired)
    if json_out:
        print_json(view.to_json())
        return
    f = view.framework
    console.print(
        f"[bold]{f.title}[/], version {f.version} (after {f.source.publisher}, "
        f"{f.source.title}, {f.source.year})"
    )
    chosen = [
        s
        for s in (f.statements if retired else f.active)
        if (level is None or s.level == level) and (dimension is None or s.dimension == dimension)
    ]
    t = Table(show_lines=True)
    for c in ("id", "cell", "statement", "questions", "evidence"):
        t.add_column(c, overflow="fold")
    for s in chosen:
        t.add_row(
            s.id + (" (retired)" if s.retired else "") + (" *" if s.check else ""),
            cell_label(f, s.level, s.dimension),
            s.text,
            "\n".join(s.questions),
            "\n".join(s.evidence),
        )
    console.print(t)
    console.print("* checked against the place's own data (`wholeplace framework evidence`)")


@statement_app.command("add")
def statement_add(
    level: Annotated[str, typer.Option(help="stewardship, performance or transformation")],
    dimension: Annotated[str, typer.Option(help="strategy, delivery or data")],
    text: Annotated[str, typer.Option(help="The statement of good practice")],
    question: Annotated[list[str], typer.Option(help="A question that tests it (repeat)")],
    evidence: Annotated[list[str], typer.Option(help="Evidence that shows it is met (repeat)")],
    reason: Annotated[str, typer.Option(help="Why the place adds it (audited)")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Add a statement of the place's own (its id is the cell's code and P1, P2...)."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        done = fw.add_statement(ws, level, dimension, text, question, evidence, reason)
    _changed(done, json_out)


@statement_app.command("edit")
def statement_edit(
    statement_id: Annotated[str, typer.Argument(help="Statement id, e.g. SW-DA-1")],
    reason: Annotated[str, typer.Option(help="Why the place changes it (audited)")],
    text: Annotated[str | None, typer.Option(help="New text")] = None,
    question: Annotated[
        list[str] | None, typer.Option(help="Replace the questions (repeat)")
    ] = None,
    evidence: Annotated[
        list[str] | None, typer.Option(help="Replace the evidence (repeat)")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Change a statement's text, questions or evidence."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        done = fw.edit_statement(
            ws, statement_id, reason, text=text, questions=question, evidence=evidence
        )
    _changed(done, json_out)


@statement_app.command("retire")
def statement_retire(
    statement_id: Annotated[str, typer.Argument(help="Statement id, e.g. SW-DA-1")],
    reason: Annotated[str, typer.Option(help="Why the place retires it (audited)")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Retire a statement: assessments started from now on leave it out."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        done = fw.retire_statement(ws, statement_id, reason)
    _changed(done, json_out)


def _changed(done: fw.StatementChange, json_out: bool) -> None:
    common.print_result(
        json_out,
        done.to_json(),
        f"{done.action.capitalize()}: {done.statement.id}. "
        f"The place's framework is now version {done.version}.",
    )


# -- assessments and answers -----------------------------------------------------------


@app.command("start")
def start(
    name: Annotated[str, typer.Argument(help="A name for the assessment, e.g. 2025/26")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Start an assessment on the place's framework as it is now."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        a = fw.start_assessment(ws, name)
    common.print_result(
        json_out, a.to_json(), f"Started assessment {a.name} (framework {a.framework.version})."
    )


@app.command("assessments")
def assessments(workspace: WorkspaceOpt = Path("."), json_out: JsonOpt = False) -> None:
    """The place's assessments, the first started first."""
    with common.open_workspace(workspace, json_out) as ws:
        res = fw.assessments(ws)
    if json_out:
        print_json(res.to_json())
        return
    for a in res.assessments:
        console.print(f"{a.name}: started {a.started_at:%Y-%m-%d}, framework {a.framework.version}")


@app.command("questionnaire")
def questionnaire(
    out: Annotated[Path, typer.Argument(help="The questionnaire to write, OUT.xlsx")],
    partner: Annotated[
        str | None, typer.Option(help="For this partner (its answers filled in)")
    ] = None,
    assessment: AssessmentOpt = None,
    as_of: AsOfOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Write the fill-in questionnaire (XLSX) a partner answers offline."""
    if out.suffix.lower() != ".xlsx":
        with common.user_errors(json_out):
            raise InputError(
                [
                    Problem(
                        "command line",
                        None,
                        "OUT",
                        str(out),
                        "not an .xlsx file name",
                        "name the questionnaire OUT.xlsx",
                    )
                ]
            )
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = fw.questionnaire(
            ws,
            out,
            partner=partner,
            assessment_name=assessment,
            facts=PlaceEvidence(ws),
            on=_day(as_of),
        )
    common.print_result(
        json_out,
        res.to_json(),
        f"Wrote {out}: {res.statements} statements of assessment {res.assessment}"
        + (f" for {partner} ({res.prefilled} answered already)." if partner else "."),
    )


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A filled-in questionnaire (XLSX) or answers CSV")],
    assessment: AssessmentOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Import answers. Every row is checked first; nothing is written if any is wrong."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = fw.import_answers(ws, file, assessment)
    common.print_result(
        json_out,
        res.to_json(),
        f"Imported {len(res.answers)} answers from {res.file} into assessment {res.assessment}"
        f" ({', '.join(res.partners) or 'no partner'}); {res.blank_rows} rows left blank.",
    )


@app.command("answer")
def answer(
    statement_id: Annotated[str, typer.Argument(help="Statement id, e.g. SW-DA-1")],
    value: Annotated[str, typer.Argument(help="met, partly met, not met or not applicable")],
    partner: Annotated[str, typer.Option(help="The partner answering")],
    evidence: Annotated[str | None, typer.Option(help="A link or file name")] = None,
    note: Annotated[str | None, typer.Option(help="Anything the partnership should know")] = None,
    assessment: AssessmentOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Record one partner's answer to one statement."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = fw.answer(
            ws,
            partner,
            statement_id,
            value,
            evidence=evidence,
            note=note,
            assessment_name=assessment,
        )
    a = res.answer
    common.print_result(
        json_out,
        res.to_json(),
        f"{a.partner}: {a.statement_id} {ANSWER_WORDS[a.answer]} (assessment {res.assessment}).",
    )


# -- results ---------------------------------------------------------------------------


@app.command("scores")
def scores(
    assessment: AssessmentOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Scores per cell, per partner and for the partnership."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = fw.scores(ws, assessment)
    if json_out:
        print_json(res.to_json())
        return
    f, s = res.assessment.framework, res.scores
    t = Table(title=f"The partnership's grid, assessment {res.assessment.name}")
    t.add_column("level")
    for d in DIMENSIONS:
        t.add_column(f.dimension_names[d], justify="right")
    t.add_column("all", justify="right")
    for lv in LEVELS:
        t.add_row(
            f.level_names[lv], *[_pct(s.cells[(lv, d)]) for d in DIMENSIONS], _pct(s.levels[lv])
        )
    t.add_row("[bold]all[/]", *[_pct(s.dimensions[d]) for d in DIMENSIONS], _pct(s.overall))
    console.print(t)
    p = Table(title="Each partner")
    for c in ("partner", "score", "points", "answered", "not applicable"):
        p.add_column(c, justify="left" if c == "partner" else "right")
    for pid, sc in s.partner_overall.items():
        name = res.partners.get(pid, pid)
        p.add_row(
            f"{name} ({pid})",
            _pct(sc),
            f"{sc.points}/{sc.out_of}",
            str(sc.answered),
            str(sc.not_applicable),
        )
    console.print(p)
    console.print(
        "Scoring: met 2, partly met 1, not met 0, not applicable left out; "
        "score = points / (2 × answers counted)."
    )


@app.command("disagreements")
def disagreements(
    assessment: AssessmentOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Statements some partners say are met and others not met, the most divided first."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = fw.disagreements(ws, assessment)
    if json_out:
        print_json(res.to_json())
        return
    if not res.disagreements:
        console.print("No statement divides the partners by two steps.")
        return
    t = Table(title=f"Where partners disagree, assessment {res.assessment}")
    for c in ("#", "statement", "met", "not met", "pairs"):
        t.add_column(c, overflow="fold")
    for i, d in enumerate(res.disagreements, start=1):
        t.add_row(
            str(i),
            f"{d.statement.id}: {d.statement.text}",
            ", ".join(d.met_by),
            ", ".join(d.not_met_by),
            str(d.pairs),
        )
    console.print(t)


@plan_app.callback(invoke_without_command=True)
def plan(
    ctx: typer.Context,
    assessment: AssessmentOpt = None,
    as_of: AsOfOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The improvement plan: gaps at the lowest level first, each with its owner and date."""
    if ctx.invoked_subcommand is not None:
        return
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = fw.plan(ws, PlaceEvidence(ws), on=_day(as_of), assessment_name=assessment)
    if json_out:
        print_json(res.to_json())
        return
    if not res.gaps:
        console.print("No gaps: every answer counted says met.")
        return
    t = Table(title=f"Improvement plan, assessment {res.assessment}")
    for c in ("#", "statement", "score", "short of it", "owner", "due"):
        t.add_column(c, overflow="fold")
    for i, g in enumerate(res.gaps, start=1):
        due = "" if g.due is None else g.due.isoformat()
        if g.overdue(res.on):
            due += " [red]overdue[/]"
        text = f"{g.statement.id}: {g.statement.text}"
        if g.evidence_says:
            text += f"\n[italic]The place's data: {g.evidence_says}[/]"
        t.add_row(
            str(i),
            text,
            "" if g.score.pct is None else f"{g.score.pct}%",
            "; ".join(f"{p}: {ANSWER_WORDS[a]}" for p, a in g.short.items()),
            g.owner or "",
            due,
        )
    console.print(t)


@plan_app.command("set")
def plan_set(
    statement_id: Annotated[str, typer.Argument(help="Statement id, e.g. SW-DA-1")],
    owner: Annotated[str | None, typer.Option(help="Who closes the gap")] = None,
    due: Annotated[str | None, typer.Option(help="By when, YYYY-MM-DD")] = None,
    note: Annotated[str | None, typer.Option(help="What will be done")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Set the owner and date of a gap in the plan."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = fw.set_plan(ws, statement_id, owner=owner, due=due, note=note)
    e = res.entry
    common.print_result(
        json_out,
        res.to_json(),
        f"{e.statement_id}: owner {e.owner or 'not set'}, due "
        f"{'not set' if e.due is None else e.due.isoformat()}.",
    )


@app.command("progress")
def progress(
    before: Annotated[str | None, typer.Option(help="The earlier assessment")] = None,
    after: Annotated[str | None, typer.Option(help="The later assessment")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """How the scores moved between two assessments (default: the last two)."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = fw.progress(ws, before, after)
    if json_out:
        print_json(res.to_json())
        return
    pr = res.progress
    t = Table(title=f"Progress from {pr.before_name} to {pr.after_name}")
    for c in ("cell", pr.before_name, pr.after_name, "change (points)"):
        t.add_column(c, justify="left" if c == "cell" else "right")
    for lv in LEVELS:
        for d in DIMENSIONS:
            change = pr.cell_change((lv, d))
            t.add_row(
                f"{lv} × {d}",
                _pct(pr.before.cells[(lv, d)]),
                _pct(pr.after.cells[(lv, d)]),
                "" if change is None else f"{change:+}",
            )
    console.print(t)
    console.print(f"{len(pr.changes)} answers changed.")


# -- exchange and report ---------------------------------------------------------------


@app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="The anonymised results to write, OUT.json")],
    assessment: AssessmentOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Write this place's scores, anonymised (no names, evidence or notes), for other places."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = fw.export(ws, out, assessment)
    common.print_result(json_out, res.to_json(), f"Wrote {out}.")


@app.command("compare")
def compare(
    files: Annotated[list[Path], typer.Argument(help="Other places' exports (JSON)")],
    assessment: AssessmentOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """This place's scores beside other places' anonymised exports."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = fw.compare(ws, files, assessment)
    if json_out:
        print_json(res.to_json())
        return
    cmp = res.comparison
    t = Table(title=f"This place (assessment {res.assessment}) and {len(cmp.others)} others")
    t.add_column("cell")
    t.add_column("here", justify="right")
    for o in cmp.others:
        t.add_column(o.label, justify="right")
    t.add_column("median of others", justify="right")
    t.add_column("rank", justify="right")
    for c in [*cmp.cells, cmp.overall]:
        j = c.to_json()
        t.add_row(
            f"{c.level} × {c.dimension}" if c.level != "all" else "[bold]overall[/]",
            _cell(j["ours_pct"]),
            *[_cell(j["others_pct"][o.label]) for o in cmp.others],
            _cell(j["median_pct"]),
            "" if c.rank is None else f"{c.rank} of {c.places}",
        )
    console.print(t)
    for o in cmp.others:
        console.print(f"{o.label}: {o.file} (framework {o.framework}, assessed {o.assessed})")


def _cell(pct: str | None) -> str:
    return "" if pct is None else f"{pct}%"


@app.command("report")
def report(
    out: Annotated[Path | None, typer.Option(help="FILE.html or FILE.xlsx")] = None,
    assessment: AssessmentOpt = None,
    as_of: AsOfOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """The report: grid heat map, partners, disagreements, plan, evidence, progress."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        facts = PlaceEvidence(ws)
        day = _day(as_of)
        if out is not None:
            r = fw.write_report(ws, out, facts, on=day, assessment_name=assessment).report
        else:
            r = fw.build_report(ws, facts, on=day, assessment_name=assessment)
    if json_out:
        print_json(r.to_json())
        return
    console.print(r.headline())
    if out is not None:
        console.print(f"Wrote {out}.")


# -- evidence from the place -----------------------------------------------------------


@evidence_app.callback(invoke_without_command=True)
def evidence(
    ctx: typer.Context,
    assessment: AssessmentOpt = None,
    as_of: AsOfOpt = None,
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """What the place's own data shows for the statements it can check, and how fresh it is."""
    if ctx.invoked_subcommand is not None:
        return
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = fw.check_evidence(ws, PlaceEvidence(ws), on=_day(as_of), assessment_name=assessment)
    if json_out:
        print_json(res.to_json())
        return
    t = Table(title=f"Evidence from the place's own data, {res.on.isoformat()}")
    for c in ("statement", "check", "says", "stale from"):
        t.add_column(c, overflow="fold")
    for f in res.findings:
        says = f.summary()
        colour = "green" if f.holds else "red"
        stale = "" if f.stale_from is None else f.stale_from.isoformat()
        t.add_row(f.statement_id, f.check, f"[{colour}]{says}[/]", stale)
    console.print(t)
    console.print("Evidence is stale more than 15 months after the date it speaks for.")


@evidence_app.command("link")
def evidence_link(
    kind: Annotated[str, typer.Argument(help="appraisal, agreement or pool")],
    file: Annotated[Path, typer.Argument(help="The appraisal or agreement file")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Link an appraisal, gain-share agreement or pooled budget to the place as evidence."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        res = fw.link_document(ws, kind, file, PlaceEvidence(ws))
    common.print_result(
        json_out,
        res.to_json(),
        f"Linked {res.kind} {res.name!r} ({', '.join(res.parties)}; "
        f"{res.years[0] if res.years else ''} to {res.years[-1] if res.years else ''}).",
    )


@evidence_app.command("unlink")
def evidence_unlink(
    kind: Annotated[str, typer.Argument(help="appraisal, agreement or pool")],
    file: Annotated[Path, typer.Argument(help="The file linked")],
    workspace: WorkspaceOpt = Path("."),
    json_out: JsonOpt = False,
) -> None:
    """Stop using a linked file as evidence."""
    with common.open_workspace(workspace, json_out) as ws, common.user_errors(json_out):
        fw.unlink_document(ws, kind, file)
    common.print_result(json_out, {"unlinked": str(file), "kind": kind}, f"Unlinked {file}.")
