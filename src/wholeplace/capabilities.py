"""The registry of capabilities: what the command line (and later the web) is built from.

Each capability names its command groups by module path; ``cli.py`` imports them when it
builds the app, so nothing is registered by importing a module for its side effects, and
adding a capability is adding one entry here. Like Datasette's built-in plugins, the
built-in capabilities use the same registry a new one would.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommandGroup:
    """Where a capability's commands are: ``module.attr`` is a Typer app (or one command).

    ``name`` is the group's name on the command line (``wholeplace NAME ...``); ``None``
    puts the commands at the top level (``wholeplace init``). Several entries may share a
    name: their commands form one group (the first entry's app gives the group its help).
    """

    name: str | None
    module: str
    attr: str = "app"


@dataclass(frozen=True)
class Capability:
    name: str
    summary: str
    docs: str
    commands: tuple[CommandGroup, ...]
    web: str | None = None  # module with the capability's web routes, once the web edge exists


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "place",
        "a place: one folder, one database, an audit log of every write",
        "docs/workspace.md",
        (
            CommandGroup(None, "wholeplace.commands.place"),
            CommandGroup(None, "wholeplace.commands.demo", "demo"),
        ),
    ),
    Capability(
        "partners",
        "who the partners are",
        "docs/formats.md",
        (CommandGroup("partners", "wholeplace.commands.partners"),),
    ),
    Capability(
        "areas",
        "the areas, populations and boundaries",
        "docs/formats.md",
        (CommandGroup("areas", "wholeplace.commands.areas"),),
    ),
    Capability(
        "spend",
        "how much is spent here, by whom, on what, where",
        "docs/spend.md",
        (
            CommandGroup("spend", "wholeplace.commands.spend"),
            CommandGroup("spend", "wholeplace.commands.spend_national"),
        ),
    ),
    Capability(
        "sharing",
        "who invests, who gains, how to split it",
        "docs/sharing.md",
        (CommandGroup("sharing", "wholeplace.commands.sharing"),),
    ),
    Capability(
        "cba",
        "is this proposal worth it, and to whom",
        "docs/cba.md",
        (
            CommandGroup("unitcosts", "wholeplace.commands.cba", "unitcosts_app"),
            CommandGroup("cba", "wholeplace.commands.cba"),
        ),
    ),
    Capability(
        "framework",
        "how aligned are we: the ALPS self-assessment, with evidence from the place's own data",
        "docs/framework.md",
        (CommandGroup("framework", "wholeplace.commands.framework"),),
    ),
    Capability(
        "parameters",
        "the parameters calculations use (discount rates, optimism bias), and a place's own",
        "docs/cba.md",
        (CommandGroup("parameters", "wholeplace.commands.parameters"),),
    ),
    Capability(
        "objectives",
        "the partners' objectives against the customer groups they serve: overlaps, conflicts",
        "docs/objectives.md",
        (CommandGroup("objectives", "wholeplace.commands.objectives"),),
    ),
    Capability(
        "governance",
        "delivery models and boards, information-sharing agreements, the risk register",
        "docs/governance.md",
        (CommandGroup("governance", "wholeplace.commands.governance"),),
    ),
    Capability(
        "assets",
        "the partners' buildings and land as one estate: co-location and disposal candidates",
        "docs/assets.md",
        (CommandGroup("assets", "wholeplace.commands.assets"),),
    ),
    Capability(
        "outcomes",
        "are we achieving what we promised: outcomes, assured data, gross and net, SROI",
        "docs/outcomes.md",
        (CommandGroup("outcomes", "wholeplace.commands.outcomes"),),
    ),
    Capability(
        "web",
        "the partnership's web application over the place, with users and roles",
        "docs/web.md",
        (
            CommandGroup(None, "wholeplace.commands.web", "serve"),
            CommandGroup("users", "wholeplace.commands.web", "users_app"),
        ),
        web="wholeplace.web.app",
    ),
)
