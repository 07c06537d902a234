"""The governance register of docs/web.md's worked example ("Governance on the web") and the
test place (web_place.py) with the third partner it names, the police."""

from __future__ import annotations

import re
from pathlib import Path

from web_place import build_place

from wholeplace.partners import add_partner
from wholeplace.workspace import Workspace

DOC = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")
REGISTER = dict(re.findall(r"<!-- file: (\S+) -->\n```\w*\n(.*?)```", DOC, re.S))[
    "governance-web.yaml"
]


def build_governance_place(root: Path, police_name: str = "Testshire Police") -> Path:
    """The test place with the police as a partner, named ``police_name``."""
    folder = build_place(root)
    ws = Workspace.open(folder)
    try:
        add_partner(
            ws,
            {
                "id": "police",
                "name": police_name,
                "type": "police",
                "group": "Police",
                "sector": "police",
            },
        )
    finally:
        ws.close()
    return folder
