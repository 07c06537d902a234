"""How aligned are we? The ALPS self-assessment: 3 levels x 3 dimensions of statements of
good practice, each partner's answers, scores, disagreement, an improvement plan, progress,
and evidence from the place's own data.

The front door is the services (:mod:`wholeplace.framework.service`, with ``report_service``
and ``exchange_service``)::

    from wholeplace import framework
    from wholeplace.place_evidence import PlaceEvidence

    framework.answer(ws, "cc", "SW-DA-1", "met", evidence="spend-2024-25.html")
    framework.import_answers(ws, Path("icb.xlsx"))      # a filled-in questionnaire
    report = framework.build_report(ws, PlaceEvidence(ws))
    report.to_json()                                    # `wholeplace framework report --json`

Inside: ``model`` (the framework as data, answers), ``store`` (the place's tables),
``scoring`` (the rule, disagreement, the plan, progress), ``evidence`` (the checks the
place's data makes, staleness), ``questionnaire`` and ``answers_file`` (the XLSX round
trip), ``exchange`` (anonymised export and comparison), ``report`` and ``report_xlsx``.
"""

from wholeplace.framework.changes import (
    FrameworkView,
    StatementChange,
    add_statement,
    edit_statement,
    framework,
    retire_statement,
)
from wholeplace.framework.evidence import Finding, PlaceFacts, SpendFacts
from wholeplace.framework.exchange_service import (
    CompareResult,
    ExportResult,
    compare,
    export,
)
from wholeplace.framework.model import Framework, Statement, shipped
from wholeplace.framework.report import FrameworkReport
from wholeplace.framework.report_service import (
    QuestionnaireResult,
    ReportWritten,
    build_report,
    questionnaire,
    write_report,
)
from wholeplace.framework.scoring import Answer, Disagreement, Gap, Score, Scores
from wholeplace.framework.service import (
    AnswerResult,
    AnswersImport,
    AssessmentList,
    DisagreementResult,
    EvidenceResult,
    LinkResult,
    PlanResult,
    PlanSet,
    ProgressResult,
    ScoresResult,
    answer,
    assessment,
    assessments,
    check_evidence,
    disagreements,
    import_answers,
    link_document,
    plan,
    progress,
    scores,
    set_plan,
    start_assessment,
    unlink_document,
)
from wholeplace.framework.store import Assessment

__all__ = [
    # services
    "add_statement",
    "answer",
    "assessment",
    "assessments",
    "build_report",
    "check_evidence",
    "compare",
    "disagreements",
    "edit_statement",
    "export",
    "framework",
    "import_answers",
    "link_document",
    "plan",
    "progress",
    "questionnaire",
    "retire_statement",
    "scores",
    "set_plan",
    "start_assessment",
    "unlink_document",
    "write_report",
    # results
    "AnswerResult",
    "AnswersImport",
    "AssessmentList",
    "CompareResult",
    "DisagreementResult",
    "EvidenceResult",
    "ExportResult",
    "FrameworkReport",
    "FrameworkView",
    "LinkResult",
    "PlanResult",
    "PlanSet",
    "ProgressResult",
    "QuestionnaireResult",
    "ReportWritten",
    "ScoresResult",
    "StatementChange",
    # domain types
    "Answer",
    "Assessment",
    "Disagreement",
    "Finding",
    "Framework",
    "Gap",
    "PlaceFacts",
    "Score",
    "Scores",
    "SpendFacts",
    "Statement",
    "shipped",
]
