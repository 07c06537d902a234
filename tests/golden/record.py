"""Record the golden ``--json`` outputs: ``python tests/golden/record.py``.

Run only when an output is meant to change, and say why in the commit.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cases import CASES, run  # noqa: E402
from test_golden_json import DATA, EXPECTED, make_places  # noqa: E402


def main() -> None:
    EXPECTED.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        ws, docs = make_places(Path(tmp))
        for case in CASES:
            out = run(case, ws, DATA, docs)
            text = json.dumps(out, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
            (EXPECTED / f"{case}.json").write_text(text, encoding="utf-8")
            print(f"recorded {case}")


if __name__ == "__main__":
    main()
