from __future__ import annotations

import stat
from pathlib import Path

import pytest

from server.settings import Settings, SettingsError, ensure_secret_key_file

KEY = "k" * 40


def test_defaults_use_a_sqlite_file_in_the_data_directory(tmp_path: Path) -> None:
    settings = Settings.from_env({"TRIVSEL_DATA_DIR": str(tmp_path), "TRIVSEL_SECRET_KEYS": KEY})
    assert settings.database_url == f"sqlite:///{tmp_path.resolve()}/trivsel.sqlite"
    assert settings.is_sqlite
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.secret_keys == (KEY,)


def test_keys_are_comma_separated_newest_last() -> None:
    settings = Settings.from_env({"TRIVSEL_SECRET_KEYS": f"{'a' * 32}, {'b' * 32}"})
    assert settings.secret_keys == ("a" * 32, "b" * 32)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"TRIVSEL_DATABASE_URL": "mysql://x"}, "TRIVSEL_DATABASE_URL"),
        ({"TRIVSEL_DATABASE_URL": "sqlite://"}, "TRIVSEL_DATABASE_URL"),
        ({"TRIVSEL_DATABASE_URL": "postgresql:///nohost"}, "TRIVSEL_DATABASE_URL"),
        ({"TRIVSEL_BASE_URL": "trivsel.dk"}, "TRIVSEL_BASE_URL"),
        ({"TRIVSEL_SECRET_KEYS": "short"}, "TRIVSEL_SECRET_KEYS"),
        ({"TRIVSEL_SECRET_KEYS": ""}, "TRIVSEL_SECRET_KEYS"),
        ({"TRIVSEL_SUPPRESSION_THRESHOLD": "2"}, "TRIVSEL_SUPPRESSION_THRESHOLD"),
        ({"TRIVSEL_SUPPRESSION_THRESHOLD": "five"}, "TRIVSEL_SUPPRESSION_THRESHOLD"),
        ({"TRIVSEL_TRUSTED_PROXIES": "*"}, "TRIVSEL_TRUSTED_PROXIES"),
        ({"TRIVSEL_TRUSTED_PROXIES": "127.0.0.1,proxy.kommune.dk"}, "TRIVSEL_TRUSTED_PROXIES"),
    ],
)
def test_a_wrong_setting_names_its_variable(tmp_path: Path, env: dict[str, str], variable: str) -> None:
    base = {"TRIVSEL_DATA_DIR": str(tmp_path), "TRIVSEL_SECRET_KEYS": KEY}
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({**base, **env})
    assert variable in str(caught.value)
    assert "\n" not in str(caught.value)


def test_generated_key_file_is_owner_only_and_reused(tmp_path: Path) -> None:
    keys = ensure_secret_key_file(tmp_path)
    path = tmp_path / "secret_keys"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(keys[0]) >= 32
    assert ensure_secret_key_file(tmp_path) == keys
    assert Settings.from_env({"TRIVSEL_DATA_DIR": str(tmp_path)}).secret_keys == keys


def test_trusted_proxies_are_addresses_or_networks(tmp_path: Path) -> None:
    base = {"TRIVSEL_DATA_DIR": str(tmp_path), "TRIVSEL_SECRET_KEYS": KEY}
    assert Settings.from_env(base).trusted_proxies == ()
    settings = Settings.from_env({**base, "TRIVSEL_TRUSTED_PROXIES": " 127.0.0.1, 10.0.0.0/8,::1 "})
    assert settings.trusted_proxies == ("127.0.0.1", "10.0.0.0/8", "::1")
