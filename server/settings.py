"""One settings object, read from environment variables once and passed in."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["Settings", "SettingsError", "ensure_secret_key_file"]

SECRET_KEY_FILE = "secret_keys"
MIN_KEY_LENGTH = 32


class SettingsError(ValueError):
    """A setting is missing or wrong; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable about trivsel.

    ``secret_keys`` are newest last: links are signed with the last key and
    verified with all of them, so adding a key never breaks printed slips.
    """

    database_url: str
    secret_keys: tuple[str, ...]
    base_url: str = "http://127.0.0.1:8000"
    data_dir: Path = field(default_factory=lambda: Path("data"))
    suppression_threshold: int = 5
    max_body_bytes: int = 64 * 1024
    log_level: str = "INFO"
    trusted_proxies: tuple[str, ...] = ()

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields replaced (for tests and the CLI)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, require_keys: bool = True) -> Settings:
        """Build settings from ``TRIVSEL_*`` variables; raise SettingsError naming the variable."""
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("TRIVSEL_DATA_DIR", "data")).expanduser()
        database_url = _database_url(env.get("TRIVSEL_DATABASE_URL", ""), data_dir)
        base_url = _base_url(env.get("TRIVSEL_BASE_URL", "http://127.0.0.1:8000"))
        keys = _secret_keys(env.get("TRIVSEL_SECRET_KEYS", ""), data_dir, require_keys)
        threshold = _int(env, "TRIVSEL_SUPPRESSION_THRESHOLD", 5)
        if threshold < 3:
            raise SettingsError("TRIVSEL_SUPPRESSION_THRESHOLD must be at least 3")
        max_body = _int(env, "TRIVSEL_MAX_BODY_BYTES", 64 * 1024)
        return cls(
            database_url=database_url,
            secret_keys=keys,
            base_url=base_url,
            data_dir=data_dir,
            suppression_threshold=threshold,
            max_body_bytes=max_body,
            log_level=env.get("TRIVSEL_LOG_LEVEL", "INFO").upper(),
            trusted_proxies=_trusted_proxies(env.get("TRIVSEL_TRUSTED_PROXIES", "")),
        )


def ensure_secret_key_file(data_dir: Path) -> tuple[str, ...]:
    """Return the stored keys, creating one owner-only key file if there is none."""
    path = data_dir / SECRET_KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
    return _read_key_file(path)


def _read_key_file(path: Path) -> tuple[str, ...]:
    keys = tuple(line.strip() for line in path.read_text().splitlines() if line.strip())
    if not keys:
        raise SettingsError(f"TRIVSEL_SECRET_KEYS is not set and {path} is empty")
    return keys


def _database_url(raw: str, data_dir: Path) -> str:
    if not raw:
        return f"sqlite:///{(data_dir / 'trivsel.sqlite').resolve()}"
    scheme = urlsplit(raw).scheme
    if scheme == "sqlite":
        if not raw.startswith("sqlite:///") or len(raw) <= len("sqlite:///"):
            raise SettingsError("TRIVSEL_DATABASE_URL must look like sqlite:///path/to/file.sqlite")
        return raw
    if scheme in ("postgresql", "postgres"):
        parts = urlsplit(raw)
        if not parts.hostname and "host=" not in parts.query:
            raise SettingsError("TRIVSEL_DATABASE_URL must name a host, e.g. postgresql://user@127.0.0.1:5432/trivsel")
        return raw
    raise SettingsError("TRIVSEL_DATABASE_URL must start with sqlite:/// or postgresql://")


def _base_url(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError("TRIVSEL_BASE_URL must be an http:// or https:// address, e.g. https://trivsel.kommune.dk")
    return raw.rstrip("/")


def _secret_keys(raw: str, data_dir: Path, required: bool) -> tuple[str, ...]:
    keys = tuple(key.strip() for key in raw.split(",") if key.strip())
    if not keys:
        path = data_dir / SECRET_KEY_FILE
        if path.exists():
            keys = _read_key_file(path)
        elif required:
            raise SettingsError("TRIVSEL_SECRET_KEYS is not set (comma-separated keys, newest last; `trivsel demo` makes one)")
    for key in keys:
        if len(key) < MIN_KEY_LENGTH:
            raise SettingsError(f"TRIVSEL_SECRET_KEYS: every key must be at least {MIN_KEY_LENGTH} characters")
    return keys


def _trusted_proxies(raw: str) -> tuple[str, ...]:
    """Addresses or networks of the reverse proxies whose X-Forwarded-For names the client."""
    proxies = tuple(part.strip() for part in raw.split(",") if part.strip())
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SettingsError(
                "TRIVSEL_TRUSTED_PROXIES must list the proxies' addresses or networks, e.g. 127.0.0.1,10.0.0.0/8 "
                f"(not {proxy!r}: anyone could then choose the address the rate limits see)"
            ) from None
    return proxies


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
