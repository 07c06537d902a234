"""The shared public estate (issue 16): every partner's land and buildings in one layout,
co-location and disposal candidates, and small-area profiles.

Public API: the operations of :mod:`wholeplace.assets.service` and their results::

    from wholeplace.assets import import_register, register

    import_register(ws, Path("trafford.csv"), "trafford")
    assets = register(ws)
"""

from wholeplace.assets.model import Asset
from wholeplace.assets.service import (
    RegisterImport,
    SharedUprn,
    import_register,
    register,
)

__all__ = ["Asset", "RegisterImport", "SharedUprn", "import_register", "register"]
