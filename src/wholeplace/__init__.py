"""wholeplace: the partners of a place see together what is spent, appraise, share and track.

The public API: a place is a :class:`Workspace`; each capability package (``spend``, ``cba``,
``sharing``) declares its services and result types in ``__all__``. docs/python.md walks
through them.
"""

from wholeplace.version import __version__ as __version__
from wholeplace.workspace import Workspace

__all__ = ["Workspace", "__version__"]
