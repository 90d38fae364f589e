"""Running the app under uvicorn with logs that carry no tokens, answers or addresses."""

from __future__ import annotations

import gc
import logging
import os

import uvicorn
from litestar import Litestar

from server.settings import Settings

__all__ = ["configure_logging", "event_loop_for", "freeze_startup_objects", "serve", "serving_app"]

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format=LOG_FORMAT)
    logging.getLogger("trivsel").setLevel(level)


def serve(settings: Settings, *, host: str, port: int, workers: int = 1) -> None:
    """Serve until interrupted. Uvicorn's own access log is off: it would log tokens and IPs."""
    configure_logging(settings.log_level)
    # Behind a trusted reverse proxy, X-Forwarded-For gives the client's address (only the rate
    # limits use it, as a keyed hash); otherwise every school would share the proxy's limit.
    proxies = ",".join(settings.trusted_proxies)
    common = dict(host=host, port=port, access_log=False, log_config=None, server_header=False,
                  proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None, loop=event_loop_for(settings))
    if workers > 1:
        # Each worker builds the app from the same environment.
        os.environ.setdefault("TRIVSEL_SECRET_KEYS", ",".join(settings.secret_keys))
        os.environ.setdefault("TRIVSEL_DATABASE_URL", settings.database_url)
        os.environ.setdefault("TRIVSEL_TRUSTED_PROXIES", proxies)
        uvicorn.run("server.asgi:app_from_env", factory=True, workers=workers, **common)
    else:
        uvicorn.run(serving_app(settings), **common)


def event_loop_for(settings: Settings) -> str:
    """uvicorn's event loop: uvloop where installed ("auto"), but the standard loop on SQLite.

    Measured with ``benchmarks/answering.py``: on SQLite, uvloop left a few
    requests waiting up to 0.9 s (p99 of submits 450-700 ms, against 135 ms
    with the standard loop); on PostgreSQL uvloop is as fast or faster. The
    likely cause: uvloop takes the GIL afresh for every socket event, and on
    SQLite the writer thread holds it between its statements.
    """
    return "asyncio" if settings.is_sqlite else "auto"


def serving_app(settings: Settings) -> Litestar:
    """The app as a server process runs it (``serve`` and ``server.asgi``)."""
    from server.app import create_app

    app = create_app(settings)
    app.on_startup.append(freeze_startup_objects)
    return app


def freeze_startup_objects() -> None:
    """Take what start-up made out of the garbage collector's view, for the rest of the process.

    The app, its templates and the instrument definitions (~200k objects) live
    as long as the process. Left in view, every full collection walks them all
    while holding the GIL, which stops the event loop and the SQLite writer:
    under load that was a 100-150 ms stall every ~0.6 s, most of the p99.
    """
    gc.collect()
    gc.freeze()
