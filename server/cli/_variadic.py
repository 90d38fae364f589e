"""Options that take several values after one flag: ``--years 2024 2025 2026``.

Click options take one value each; :class:`VariadicCommand` rewrites
``--years 2024 2025`` into ``--years 2024 --years 2025`` before parsing, for
the options named in ``variadic`` (declared with ``multiple=True``).
"""

from __future__ import annotations

from typing import Any

import click

__all__ = ["VariadicCommand"]


class VariadicCommand(click.Command):
    def __init__(self, *args: Any, variadic: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.variadic = variadic

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        out: list[str] = []
        flag: str | None = None  # the variadic flag whose values are being read
        taken = 0
        for arg in args:
            if flag is not None and not (arg.startswith("-") and not arg[1:].isdigit()):
                out += [flag, arg]
                taken += 1
                continue
            if flag is not None and taken == 0:
                out.append(flag)  # no values: click reports the missing argument
            flag, taken = (arg, 0) if arg in self.variadic else (None, 0)
            if flag is None:
                out.append(arg)
        if flag is not None and taken == 0:
            out.append(flag)
        return super().parse_args(ctx, out)
