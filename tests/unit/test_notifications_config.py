"""Notifications settings: SMTP relay from the environment, the unsubscribe secret required
wherever mail could be sent, and the worker's definition readable by the ops CLI without it."""

import pytest

from meridian_common.config import load_settings
from meridian_notifications import worker
from meridian_notifications.adapters.config import load_notifications_config


def test_the_relay_comes_from_the_environment(monkeypatch):
    for name, value in {"MERIDIAN_SMTP_HOST": "smtp.example.edu", "MERIDIAN_SMTP_PORT": "587",
                        "MERIDIAN_SMTP_STARTTLS": "true", "MERIDIAN_SMTP_USER": "meridian",
                        "MERIDIAN_SMTP_PASSWORD": "pw", "MERIDIAN_UNSUBSCRIBE_SECRET": "s",
                        "MERIDIAN_PUBLIC_URL": "https://lms.example.edu/"}.items():
        monkeypatch.setenv(name, value)
    config = load_notifications_config(load_settings("notifications"))
    assert (config.smtp_host, config.smtp_port, config.smtp_starttls, config.smtp_ssl) == (
        "smtp.example.edu", 587, True, False)
    assert config.smtp_login and config.smtp_password == "pw"
    assert config.public_url == "https://lms.example.edu"


def test_overrides_win_and_local_defaults_need_no_login(monkeypatch):
    monkeypatch.delenv("MERIDIAN_SMTP_USER", raising=False)
    config = load_notifications_config(load_settings(
        "notifications", {"unsubscribe_secret": "s", "smtp_port": "2525"}))
    assert config.smtp_port == 2525 and not config.smtp_login


def test_no_secret_means_no_service(monkeypatch):
    monkeypatch.delenv("MERIDIAN_UNSUBSCRIBE_SECRET", raising=False)
    with pytest.raises(ValueError, match="MERIDIAN_UNSUBSCRIBE_SECRET"):
        load_notifications_config(load_settings("notifications"))
    with pytest.raises(ValueError, match="MERIDIAN_UNSUBSCRIBE_SECRET"):
        worker.main()


def test_the_ops_cli_reads_the_worker_definition_without_the_secret(monkeypatch):
    monkeypatch.delenv("MERIDIAN_UNSUBSCRIBE_SECRET", raising=False)
    spec = worker.build_spec(load_settings("notifications"))
    assert spec.consumer_group == "notifications"
    assert spec.topics == ["lms.catalog", "lms.enrollment", "lms.classroom"]
