"""The ``wholeplace`` command: one Typer app, built from the registry of capabilities."""

from __future__ import annotations

from importlib import import_module

import typer

from wholeplace.capabilities import CAPABILITIES, CommandGroup


def _load(group: CommandGroup) -> typer.Typer:
    """The group's Typer app; a single command function is wrapped in an app of its own."""
    target = getattr(import_module(group.module), group.attr)
    if isinstance(target, typer.Typer):
        return target
    app = typer.Typer()
    app.command(group.attr)(target)
    return app


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="wholeplace",
        help="See together what is spent in a place, build the case for joining services up, "
        "agree who invests and who gains, and track outcomes.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    groups: dict[str, typer.Typer] = {}
    for cap in CAPABILITIES:
        for group in cap.commands:
            sub = _load(group)
            if group.name is None:
                app.registered_commands.extend(sub.registered_commands)
            elif group.name not in groups:
                groups[group.name] = sub
                app.add_typer(sub, name=group.name)
            elif groups[group.name] is not sub:
                # a second module of the same group: its commands join the first's
                groups[group.name].registered_commands.extend(sub.registered_commands)
                groups[group.name].registered_groups.extend(sub.registered_groups)
    return app


app = build_app()


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
