"""``python -m server.cli``: the ``trivsel`` command."""

from server.cli import main

main(prog_name="trivsel")
