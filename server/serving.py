"""Running the app under uvicorn with logs that carry no tokens, answers or addresses."""

from __future__ import annotations

import logging
import os

import uvicorn

from server.settings import Settings

__all__ = ["configure_logging", "serve"]

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format=LOG_FORMAT)
    logging.getLogger("trivsel").setLevel(level)


def serve(settings: Settings, *, host: str, port: int, workers: int = 1) -> None:
    """Serve until interrupted. Uvicorn's own access log is off: it would log tokens and IPs."""
    configure_logging(settings.log_level)
    common = dict(host=host, port=port, access_log=False, log_config=None, proxy_headers=False, server_header=False)
    if workers > 1:
        # Each worker builds the app from the same environment.
        os.environ.setdefault("TRIVSEL_SECRET_KEYS", ",".join(settings.secret_keys))
        os.environ.setdefault("TRIVSEL_DATABASE_URL", settings.database_url)
        uvicorn.run("server.asgi:app_from_env", factory=True, workers=workers, **common)
    else:
        from server.app import create_app

        uvicorn.run(create_app(settings), **common)
