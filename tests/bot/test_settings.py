from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import Settings


def test_the_server_listens_on_loopback_unless_host_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HOST", raising=False)
    assert Settings(_env_file=None).host == "127.0.0.1"
    monkeypatch.setenv("HOST", "0.0.0.0")
    assert Settings(_env_file=None).host == "0.0.0.0"


MODEL_SETTINGS = (
    "AUDITREADY_MODEL_URL",
    "AUDITREADY_MODEL",
    "AUDITREADY_MODEL_TIMEOUT",
    "AUDITREADY_MODEL_KEY",
)


@pytest.fixture
def no_model_settings(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in MODEL_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_without_a_model_url_there_is_no_model(no_model_settings: pytest.MonkeyPatch) -> None:
    settings = Settings(_env_file=None)
    assert (settings.model_url, settings.model, settings.model_timeout) == (None, None, 5.0)
    no_model_settings.setenv("AUDITREADY_MODEL_URL", "  ")
    assert Settings(_env_file=None).model_url is None


def test_the_model_key_is_a_secret(no_model_settings: pytest.MonkeyPatch) -> None:
    no_model_settings.setenv("AUDITREADY_MODEL_URL", "http://localhost:11434/v1")
    no_model_settings.setenv("AUDITREADY_MODEL_KEY", "sk-company-model-key")
    settings = Settings(_env_file=None)
    assert str(settings.model_url) == "http://localhost:11434/v1"
    assert settings.model_key is not None
    assert settings.model_key.get_secret_value() == "sk-company-model-key"
    assert "sk-company-model-key" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AUDITREADY_MODEL_TIMEOUT", "0.4"),
        ("AUDITREADY_MODEL_TIMEOUT", "31"),
        ("AUDITREADY_MODEL_URL", "localhost:11434"),
        ("AUDITREADY_MODEL_URL", "ftp://localhost/v1"),
    ],
)
def test_a_wrong_model_setting_is_refused_by_name(
    no_model_settings: pytest.MonkeyPatch, name: str, value: str
) -> None:
    no_model_settings.setenv(name, value)
    with pytest.raises(ValidationError, match=name):
        Settings(_env_file=None)
