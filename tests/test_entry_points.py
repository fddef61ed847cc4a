"""The ways in that the README promises: its two set-up commands (the second is what CI runs),
the installed `qualify` console script, and `flask --app qualify`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def setup_commands() -> list[str]:
    """The shell blocks of the README's "Set up on a fresh machine" section."""
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_the_readme_has_exactly_two_set_up_commands_one_runs_the_app_one_the_tests():
    run, test = setup_commands()
    assert run.endswith(".venv/bin/qualify run") and "\n" not in run
    assert test.endswith(".venv/bin/pytest") and "\n" not in test


def test_ci_runs_the_readme_test_command_as_written():
    _, test = setup_commands()
    ci = ROOT.joinpath(".ci", "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()


def run_command(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QUALIFY_INSTANCE_PATH": str(tmp_path / "instance")}
    for key in ("QUALIFY_DATABASE_URL", "QUALIFY_QUEUE_URL", "QUALIFY_MAIL_SERVER"):
        env.pop(key, None)
    return subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "command", [[str(BIN / "qualify")], [str(BIN / "flask"), "--app", "qualify"]]
)
def test_qualify_and_flask_app_qualify_both_set_up_and_list_deliveries(tmp_path, command):
    init = run_command(tmp_path, *command, "init")
    assert init.returncode == 0, init.stderr
    assert re.match(r"database ready, \d+ reps loaded from ", init.stdout), init.stdout
    assert (tmp_path / "instance" / "qualify.db").is_file()
    listed = run_command(tmp_path, *command, "deliveries")
    assert (listed.returncode, listed.stdout) == (0, "no deliveries\n"), listed.stderr


def test_every_key_in_the_readme_configuration_table_is_a_setting(tmp_path):
    from qualify.config import defaults

    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    keys = {
        key
        for row in table.splitlines()
        if row.startswith("| `")
        for key in re.findall(r"`([A-Z][A-Z_]+)`", row.split("|")[1])
    }
    assert len(keys) > 20
    assert keys - set(defaults(str(tmp_path))) == set()


def test_qualify_help_lists_each_command_once_and_version_is_qualifys(tmp_path):
    listed = run_command(tmp_path, str(BIN / "qualify"), "--help")
    assert listed.returncode == 0, listed.stderr
    commands = listed.stdout.split("Commands:\n", 1)[1]
    names = [line.split()[0] for line in commands.splitlines() if line.startswith("  ")]
    assert len(names) == len(set(names)) and "cli" not in names
    assert {"init", "run", "score", "validate", "worker", "deliveries"} <= set(names)
    version = run_command(tmp_path, str(BIN / "qualify"), "--version")
    assert re.fullmatch(r"qualify \d+\.\d+\.\d+\S*\n", version.stdout), version.stdout
