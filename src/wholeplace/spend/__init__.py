"""How much is spent here, by whom, on what, where: the place's consolidated spend map.

Public API::

    from wholeplace.spend import import_spend, consolidate, SpendMap
"""

from wholeplace.spend.consolidate import SpendMap, consolidate
from wholeplace.spend.importer import ImportResult, import_spend

__all__ = ["ImportResult", "SpendMap", "consolidate", "import_spend"]
