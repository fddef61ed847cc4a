"""/static serves the static folder's files, and nothing a link in it leads to elsewhere."""

from __future__ import annotations

import pytest

from qualify import create_app


@pytest.fixture
def static_client(app_config, tmp_path, monkeypatch):
    static = tmp_path / "static"
    static.mkdir()
    (static / "wizard.css").write_text("body { color: black }")
    secret = tmp_path / "outside.txt"
    secret.write_text("not for the web")
    (static / "leak.txt").symlink_to(secret)
    (static / "inner.css").symlink_to(static / "wizard.css")  # a link inside stays fine
    monkeypatch.setenv("QUALIFY_INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app({**app_config, "STATIC_DIR": str(static)}).test_client()


def test_a_file_of_the_static_folder_is_served(static_client):
    for name in ("wizard.css", "inner.css"):
        reply = static_client.get(f"/static/{name}")
        assert reply.status_code == 200 and b"color: black" in reply.data
        reply.close()


@pytest.mark.parametrize("name", ["leak.txt", "../outside.txt", "%2e%2e/outside.txt"])
def test_nothing_outside_the_static_folder_is_served(static_client, name):
    reply = static_client.get(f"/static/{name}")
    assert reply.status_code == 404
    assert b"not for the web" not in reply.data
