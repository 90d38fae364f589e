"""The ``trivsel`` command. Each command group lives in its own module."""

from __future__ import annotations

import click

from server.cli import analysis, core, exports, instruments, links, reports, strategy, users

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="trivsel")
def main() -> None:
    """trivsel: anonymous wellbeing and substance-use surveys for Danish municipalities.

    Configuration comes from environment variables: TRIVSEL_DATABASE_URL,
    TRIVSEL_SECRET_KEYS, TRIVSEL_BASE_URL, TRIVSEL_DATA_DIR (see README).
    """


for module in (core, instruments, links, exports, analysis, reports, strategy, users):
    module.register(main)
