"""The local stack runs Mailpit and the notifications service, and tells developers where."""

from __future__ import annotations

import os
import re
import subprocess

from tests.deploy.rendering import ROOT

LOCAL = ROOT / "deploy" / "local"


def _programs() -> dict[str, str]:
    text = (LOCAL / "supervisord.conf.in").read_text()
    blocks = re.split(r"\n(?=\[program:)", text)
    return {m.group(1): block for block in blocks
            if (m := re.match(r"\[program:([\w-]+)\]", block))}


def test_supervisord_runs_mailpit_on_the_profile_ports_and_the_service():
    programs = _programs()
    mailpit = programs["mailpit"]
    assert "--smtp 127.0.0.1:${MERIDIAN_SMTP_PORT}" in mailpit
    assert "--listen 127.0.0.1:${MERIDIAN_MAIL_UI_PORT}" in mailpit
    assert "mailpit-${MAILPIT_VERSION}" in mailpit and "--database ${MERIDIAN_RUN_DIR}" in mailpit
    assert "meridian_notifications.wsgi:app" in programs["notifications-api"]
    assert "${MERIDIAN_NOTIFICATIONS_PORT}" in programs["notifications-api"]
    assert "python -m meridian_notifications.worker" in programs["notifications-worker"]


def test_stack_builds_mailpit_and_waits_for_it_and_the_service():
    stack = (LOCAL / "stack.sh").read_text()
    assert '"$here/fetch-mailpit.sh"' in stack
    assert "$MERIDIAN_MAIL_URL/readyz" in stack and '"$MERIDIAN_NOTIFICATIONS_PORT"' in stack
    fetch = (LOCAL / "fetch-mailpit.sh").read_text()
    assert 'go install "github.com/axllent/mailpit@$MAILPIT_VERSION"' in fetch
    assert 'MAILPIT_VERSION:=v1.33.1' in (LOCAL / "env.sh").read_text()


def test_urls_names_the_portal_first_then_the_mail_inbox(tmp_path):
    env = {**os.environ, "MERIDIAN_PROFILE": "local", "MERIDIAN_RUN_DIR": str(tmp_path)}
    for name in [n for n in env if n.startswith("MERIDIAN_") and n.endswith(("_URL", "_PORT"))]:
        del env[name]
    printed = subprocess.run([str(LOCAL / "urls.sh")], capture_output=True, text=True,
                             env=env, timeout=30, check=True).stdout
    lines = [line.strip() for line in printed.splitlines() if line.strip()]
    named = [line.split()[0] for line in lines[1:]]
    assert named[:2] == ["Portal", "Mail"]
    assert "Mail inbox      http://127.0.0.1:8025/" in printed
    assert "SMTP 127.0.0.1:1025" in printed
