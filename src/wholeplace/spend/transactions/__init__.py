"""Transaction-level spend: councils' "spend over £500" files, and what they tell us.

Files are read the way councils publish them: Windows-1252 or UTF-8, CR-only, CRLF or
LF line endings, title or all-comma rows above the header, blank lines between rows, a
header repeated at the bottom (or no header at all), trailing total rows, amounts with
``£``, thousands separators, brackets, a minus or ``CR`` for credits, and dates in the
formats councils use (``04/01/2017``, ``06/01/26``, ``01-Mar-22``, ``2019-03-25``).

Memory stays bounded: a file is never held in a Python list. A messy CSV is decoded
and normalised chunk by chunk into a temporary UTF-8 file (each record prefixed with
the line number a person sees in the original), an XLSX is streamed row by row, and
DuckDB's ``read_csv`` parses the result; validation, mapping and loading are SQL over
that table. A clean UTF-8 file (the national-scale case) goes to DuckDB directly.

Every file is validated completely before anything is written; then its rows, its
checksum, and the spend lines re-aggregated from all of the partner's transactions of
the years it touches land in one transaction. A file already imported (same checksum,
or the same rows under another name) is skipped with a message.

The supplier analysis is Ibis expressions, so it runs on DuckDB or Spark.

The modules, in the order a file goes through them:

- :mod:`.headers`: the roles a column can play and the header labels councils use;
- :mod:`.mapping`: department / service area / expense type -> service;
- :mod:`.staging`: reading a CSV or XLSX file into a staging SELECT;
- :mod:`.parsing`: parsing dates and amounts in SQL;
- :mod:`.loading`: the import of a file: stage, validate, write all or nothing;
- :mod:`.one_pass`: the one-pass import of big clean files;
- :mod:`.recording`: survey, map, check and record a stored file, re-build spend lines;
- :mod:`.suppliers`: supplier analysis;
- :mod:`.results`, :mod:`.statements`: result types; running DuckDB statements.
"""

from wholeplace.spend.transactions.headers import ALIASES, MAP_KEYS, ROLES, header_key, match_header
from wholeplace.spend.transactions.loading import (
    FAST_PATH_BYTES,
    import_transaction_file,
    import_transactions,
)
from wholeplace.spend.transactions.mapping import Rule, TransactionMapping, read_transaction_mapping
from wholeplace.spend.transactions.parsing import parse_values
from wholeplace.spend.transactions.recording import (
    SUPPLIER_KEY_SQL,
    TRANSACTIONS_SOURCE,
    rebuild_spend_lines,
)
from wholeplace.spend.transactions.results import MANY_PARTNERS, FileResult, Unmapped
from wholeplace.spend.transactions.staging import Staged, stage_csv, stage_xlsx
from wholeplace.spend.transactions.statements import ProgressFn, _with_query_progress
from wholeplace.spend.transactions.suppliers import (
    in_year,
    payments_between_partners,
    shared_suppliers,
    top_suppliers,
    unmapped_report,
)

__all__ = [
    "ALIASES",
    "FAST_PATH_BYTES",
    "MANY_PARTNERS",
    "MAP_KEYS",
    "ROLES",
    "SUPPLIER_KEY_SQL",
    "TRANSACTIONS_SOURCE",
    "FileResult",
    "ProgressFn",
    "Rule",
    "Staged",
    "TransactionMapping",
    "Unmapped",
    "_with_query_progress",
    "header_key",
    "import_transaction_file",
    "import_transactions",
    "in_year",
    "match_header",
    "parse_values",
    "payments_between_partners",
    "read_transaction_mapping",
    "rebuild_spend_lines",
    "shared_suppliers",
    "stage_csv",
    "stage_xlsx",
    "top_suppliers",
    "unmapped_report",
]
