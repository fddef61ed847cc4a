"""The README's run command, for real: `qualify run` serves the wizard with gunicorn and a
delivery worker beside it; a hot lead completed over HTTP leaves two emails in the outbox."""

from __future__ import annotations

import email
import os
import signal
import socket
import subprocess
import sys
import time
from email import policy
from pathlib import Path

import pytest
from test_end_to_end import CONTACT, pdf_text
from walk import complete, http_sender

from factories import HOT_ANSWERS
from smtp_server import free_port


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"qualify run exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"nothing listened on port {port} after {seconds}s")


def wait_for_files(folder: Path, count: int, seconds: float = 90) -> list[Path]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        files = sorted(folder.glob("*.eml"))
        if len(files) >= count:
            return files
        time.sleep(0.5)
    return sorted(folder.glob("*.eml"))


def test_qualify_run_serves_the_wizard_and_delivers_both_emails(tmp_path, questionnaire):
    port = free_port()
    instance = tmp_path / "instance"
    env = {
        **os.environ,
        "QUALIFY_INSTANCE_PATH": str(instance),
        "QUALIFY_WIZARD_MIN_SECONDS": "0",  # the walk takes milliseconds, not a human's seconds
    }
    # No BASE_URL, as on a fresh machine: the links in the emails name the port run serves.
    for key in ("QUALIFY_DATABASE_URL", "QUALIFY_QUEUE_URL", "QUALIFY_MAIL_SERVER", "QUALIFY_BASE_URL"):
        env.pop(key, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "qualify.cli", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_port(port, process)
        result = complete(http_sender(f"http://127.0.0.1:{port}"), questionnaire, HOT_ANSWERS, CONTACT)
        assert "Advanced" in result.text
        files = wait_for_files(instance / "outbox", 2)
        assert len(files) == 2, "the worker did not write both emails"
        messages = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
        kinds = sorted(m["Subject"].split(":")[0] for m in messages)
        assert kinds == ["SQL", "Your report"]
        for message in messages:
            assert "BigCo Industries" in pdf_text(message)
        [dossier] = [m for m in messages if m["Subject"].startswith("SQL")]
        body = dossier.get_body(("plain",)).get_content()
        assert f"Open the lead: http://127.0.0.1:{port}/rep/leads/" in body
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
    assert "wizard: http://127.0.0.1" in output
    assert f"links in emails: http://127.0.0.1:{port} (BASE_URL)" in output
