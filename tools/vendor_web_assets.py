"""Copy the web application's front-end assets from their npm packages into the package.

    cd $(mktemp -d) && npm pack govuk-frontend htmx.org plotly.js-dist-min
    python tools/vendor_web_assets.py $(pwd)

Only the built files the pages load are copied, with each package's licence, and
``src/wholeplace/web/static/VENDORED.md`` records package, version, licence and the sha256 of
the tarball and of every file written. GOV.UK Frontend's stylesheet is copied without its
``@font-face`` rules and with ``GDS Transport`` taken out of every font stack: the typeface
is licensed for GOV.UK only, so the pages use the stack's next font (Arial), as councils'
own services do. Nothing is fetched at run time.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tarfile
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "src" / "wholeplace" / "web" / "static"

# package -> (file in the tarball, name under static/)
FILES = {
    "govuk-frontend": [
        ("package/dist/govuk/govuk-frontend.min.css", "govuk-frontend.min.css"),
        ("package/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"),
    ],
    "htmx.org": [("package/dist/htmx.min.js", "htmx.min.js"), ("package/LICENSE", "LICENSE-htmx")],
    "plotly.js-dist-min": [
        ("package/plotly.min.js", "plotly.min.js"),
        ("package/LICENSE", "LICENSE-plotly"),
    ],
}

# govuk-frontend's tarball has no LICENSE file; its README and package.json say MIT.
GOVUK_LICENCE = """The MIT License (MIT)

Copyright (c) 2018 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def without_typeface(css: str) -> str:
    """GOV.UK Frontend's CSS with no GDS Transport: its @font-face rules removed, and the
    name taken out of every font stack (``GDS Transport,arial,sans-serif`` -> ``arial,...``)."""
    css = re.sub(r"@font-face\{[^}]*\}", "", css)
    css = css.replace("GDS Transport,", "")
    return css.replace("font-family:GDS Transport", "font-family:arial,sans-serif")


def main(folder: Path) -> None:
    rows = []
    for tgz in sorted(folder.glob("*.tgz")):
        with tarfile.open(tgz) as tar:
            meta = json.load(tar.extractfile("package/package.json"))  # type: ignore[arg-type]
            name = meta["name"]
            if name not in FILES:
                continue
            written = []
            for member, target in FILES[name]:
                data = tar.extractfile(member).read()  # type: ignore[union-attr]
                if target == "govuk-frontend.min.css":
                    data = without_typeface(data.decode("utf-8")).encode("utf-8")
                (STATIC / target).write_bytes(data)
                written.append((target, _sha(data)))
            if name == "govuk-frontend":
                data = GOVUK_LICENCE.encode("utf-8")
                (STATIC / "LICENSE-govuk-frontend").write_bytes(data)
                written.append(("LICENSE-govuk-frontend", _sha(data)))
        rows.append(
            (name, meta["version"], meta["license"], tgz.name, _sha(tgz.read_bytes()), written)
        )
    lines = [
        "# Vendored front-end assets",
        "",
        "Copied from the npm registry's tarballs by `tools/vendor_web_assets.py` (run it again to",
        "update them); served from the package, never from a CDN. GOV.UK Frontend's stylesheet has",
        "its `@font-face` rules removed and `GDS Transport` taken out of its font stacks (the",
        "typeface is for GOV.UK only); the crown and crest images are not copied.",
        "",
        "| package | version | licence | tarball | tarball sha256 |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {n} | {v} | {lic} | {t} | `{s}` |" for n, v, lic, t, s, _w in rows]
    lines += ["", "| file | from | sha256 |", "|---|---|---|"]
    for n, v, _lic, _t, _s, written in rows:
        lines += [f"| `{f}` | {n} {v} | `{s}` |" for f, s in written]
    (STATIC / "VENDORED.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
