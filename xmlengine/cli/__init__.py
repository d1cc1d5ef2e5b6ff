"""The `xmlengine` command: one group, its subcommands registered in one place below."""

from __future__ import annotations

import click

from xmlengine.cli.accounts import account, token, user
from xmlengine.cli.api_description import api_description
from xmlengine.cli.cdr import cdr
from xmlengine.cli.db import db
from xmlengine.cli.operator import operator
from xmlengine.cli.sandbox import sandbox
from xmlengine.cli.serve import serve
from xmlengine.cli.worker import worker

# Every subcommand of `xmlengine`: a new one is added here.
COMMANDS: tuple[click.Command, ...] = (
    serve,
    worker,
    db,
    account,
    user,
    token,
    operator,
    cdr,
    sandbox,
    api_description,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xmlengine")
def main() -> None:
    """A self-hosted, wire-compatible server for the XML Engine API.

    Every command reads its settings from XMLENGINE_* environment variables.
    """


for _command in COMMANDS:
    main.add_command(_command)
