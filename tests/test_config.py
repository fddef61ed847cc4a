"""Configuration precedence: defaults, then instance/config.py, then QUALIFY_* variables,
then the test mapping; read only inside create_app."""

from __future__ import annotations

import re

import pytest

from qualify import create_app


def make(tmp_path, monkeypatch, test_config=None, config_py=None, **env):
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    if config_py is not None:
        (instance / "config.py").write_text(config_py)
    monkeypatch.setenv("QUALIFY_INSTANCE_PATH", str(instance))
    for key, value in env.items():
        monkeypatch.setenv(f"QUALIFY_{key}", value)
    return create_app({"QUEUE_URL": "immediate", **(test_config or {})})


def test_defaults_put_the_database_and_outbox_in_the_instance_folder(tmp_path, monkeypatch):
    app = make(tmp_path, monkeypatch)
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'instance' / 'qualify.db'}"
    assert app.config["OUTBOX_DIR"] == str(tmp_path / "instance" / "outbox")
    assert app.config["MAIL_SERVER"] is None


def test_instance_config_py_overrides_the_defaults(tmp_path, monkeypatch):
    app = make(tmp_path, monkeypatch, config_py="SLA_BUSINESS_HOURS = 4\nFALLBACK_OWNER = 'boss@corp.example'\n")
    assert app.config["SLA_BUSINESS_HOURS"] == 4
    assert app.config["FALLBACK_OWNER"] == "boss@corp.example"
    assert "PROJECT_ROOT" not in app.config  # the package's own config module is not read


def test_environment_overrides_instance_config_with_the_default_type(tmp_path, monkeypatch):
    app = make(
        tmp_path, monkeypatch, config_py="SLA_BUSINESS_HOURS = 4\n",
        SLA_BUSINESS_HOURS="2", BLACKLIST_DOMAINS="rival.example, spam.example", MAIL_USE_TLS="true",
    )
    assert app.config["SLA_BUSINESS_HOURS"] == 2
    assert app.config["BLACKLIST_DOMAINS"] == ["rival.example", "spam.example"]
    assert app.config["MAIL_USE_TLS"] is True


def test_the_test_mapping_wins_over_everything(tmp_path, monkeypatch):
    app = make(tmp_path, monkeypatch, {"SLA_BUSINESS_HOURS": 1}, SLA_BUSINESS_HOURS="2")
    assert app.config["SLA_BUSINESS_HOURS"] == 1


def test_a_secret_key_is_generated_once_and_kept_in_the_instance_folder(tmp_path, monkeypatch):
    first = make(tmp_path, monkeypatch).config["SECRET_KEY"]
    second = make(tmp_path, monkeypatch).config["SECRET_KEY"]
    assert first == second and len(first) >= 40
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("key", "value", "hint"),
    [
        ("BUSINESS_COUNTRY", "XX", 'ISO 3166 code (e.g. "FR"'),
        ("BUSINESS_HOURS", "[18, 9]", "write [open, close]"),
        ("BUSINESS_TIMEZONE", "Mars/Olympus", "IANA name"),
    ],
)
def test_a_business_calendar_the_sla_clock_cannot_use_is_refused_at_start(
    tmp_path, monkeypatch, key, value, hint
):
    with pytest.raises(ValueError, match=re.escape(hint)):
        make(tmp_path, monkeypatch, **{key: value})
