"""``trivsel users``: staff accounts for the console."""

from __future__ import annotations

import click

from server.cli._runtime import load_settings, reports_errors, run_db
from surveys.accounts.users import MIN_PASSWORD_LENGTH, ROLES

__all__ = ["register"]


@click.group()
def users() -> None:
    """Staff accounts (admin, coordinator, analyst, teacher)."""


@users.command(name="create")
@click.option("--email", required=True, help="The user's e-mail address (their login).")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the user may do.")
@click.option("--school", "schools", multiple=True, help="A school the user works for (coordinators and teachers; repeatable).")
@click.option(
    "--ask-password",
    is_flag=True,
    help=f"Type a password (at least {MIN_PASSWORD_LENGTH} characters) instead of getting a one-time password.",
)
@reports_errors
def create(email: str, role: str, schools: tuple[str, ...], ask_password: bool) -> None:
    """Create a console user. Prints a one-time password, to be changed at first login."""
    password = None
    if ask_password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = load_settings(require_keys=False)

    async def create_user_(engine):
        from surveys.accounts.users import create_user

        return await create_user(email, role, schools=list(schools), password=password)

    user, chosen = run_db(settings, create_user_, migrate_if_empty=True)
    click.echo(f"created {user.role} {user.email}" + (f" for {', '.join(schools)}" if schools else ""))
    if password is None:
        click.echo(f"one-time password: {chosen}")
        click.echo("(it must be changed at the first login)")


def register(main: click.Group) -> None:
    main.add_command(users)
