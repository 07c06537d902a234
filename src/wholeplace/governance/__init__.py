"""The partnership's governance register (issue 14): delivery models and boards,
information-sharing agreements and data flows, the risk register, and warnings by date.

Public API: the operations of :mod:`wholeplace.governance.service` and their results::

    from wholeplace.governance import check, import_register

    import_register(ws, Path("governance.yaml"))
    c = check(ws, as_of=date(2025, 4, 1))      # c.warnings, c.heat_map, c.to_json()
"""

from wholeplace.governance.checks import EXPIRY_WARNING_DAYS, Warning
from wholeplace.governance.model import Register
from wholeplace.governance.service import (
    Check,
    RegisterImport,
    check,
    current_agreement_for_every_flow,
    import_register,
    register,
    write_report,
)

__all__ = [
    "EXPIRY_WARNING_DAYS",
    "Check",
    "Register",
    "RegisterImport",
    "Warning",
    "check",
    "current_agreement_for_every_flow",
    "import_register",
    "register",
    "write_report",
]
