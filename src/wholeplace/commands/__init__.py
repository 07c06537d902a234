"""The command-line edge: one module per capability, each exposing a Typer ``app``.

Capabilities never import from here; these modules call into them.
"""
