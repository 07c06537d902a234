"""The web edge: the partnership's web application over one place (``wholeplace serve``).

It calls the same services as the command line, never a command module.
"""

from wholeplace.web.app import create_app, serve
from wholeplace.web.base import Place

__all__ = ["Place", "create_app", "serve"]
