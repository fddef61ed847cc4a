"""``qualify validate``: checks questionnaire files and directories, without the app."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualify.cli import main

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "questionnaires"
BUNDLED = BUNDLED_DIR / "customer-data-maturity.yaml"


@pytest.fixture
def validate(monkeypatch):
    """Run ``qualify validate ARGS``; the app factory fails, to prove it is never called."""

    def refuse_app():
        raise RuntimeError("qualify validate must not create the app")

    monkeypatch.setattr(main, "create_app", refuse_app)
    # FlaskGroup sets this for the whole process; restore it after the test.
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "false")

    def run(*args: str | Path):
        return CliRunner().invoke(main, ["validate", *map(str, args)])

    return run


def test_a_valid_questionnaire_prints_ok_with_id_version_and_question_count(validate):
    result = validate(BUNDLED)
    assert result.exit_code == 0, result.output
    version = re.search(r"(?m)^version: (\d+)$", BUNDLED.read_text(encoding="utf-8")).group(1)
    assert result.output == f"OK {BUNDLED} (customer-data-maturity v{version}, 10 questions)\n"


def test_a_duplicate_key_exits_1_and_names_its_line(validate, tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text(
        re.sub(r"(?m)^version: \d+$", "version: 1\nversion: 9", BUNDLED.read_text(encoding="utf-8"))
    )
    line = path.read_text().splitlines().index("version: 9") + 1
    result = validate(path)
    assert result.exit_code == 1
    assert f"{path}:{line}:1: duplicate key 'version' (first on line {line - 1})\n" in result.output
    assert "\n    hint: keep one 'version:'" in result.output


def test_every_error_is_printed_with_a_hint_on_the_next_line(validate, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        textwrap.dedent("""\
        id: bad
        version: 1
        titel: no
    """)
    )
    lines = validate(path).output.splitlines()
    assert lines[lines.index(f"{path}:3:1: unknown key 'titel' in the questionnaire") + 1] == (
        "    hint: did you mean 'title'?"
    )
    assert lines[
        lines.index(f"{path}:3:8: unquoted no is read as the boolean false by YAML 1.1") + 1
    ] == ('    hint: write "no" in quotes for text, or true/false for a boolean')


def test_a_directory_is_checked_file_by_file_skipping_fixture_cases(validate, tmp_path):
    shutil.copy(BUNDLED, tmp_path / "one.yaml")
    # a second questionnaire (its own id: two files with one id are a mistake)
    second = BUNDLED.read_text().replace("id: customer-data-maturity", "id: second-check", 1)
    (tmp_path / "two.yml").write_text(second)
    (tmp_path / "one.cases.yaml").write_text("cases: [not, a, questionnaire]\n")
    (tmp_path / "notes.txt").write_text("not yaml\n")
    result = validate(tmp_path)
    assert result.exit_code == 0, result.output
    assert [line.split(" (")[0] for line in result.output.splitlines()] == [
        f"OK {tmp_path / 'one.yaml'}",
        f"OK {tmp_path / 'two.yml'}",
    ]


def test_one_bad_file_fails_the_run_but_every_file_is_checked(validate, tmp_path):
    (tmp_path / "a-bad.yaml").write_text("id: [unclosed\n")
    shutil.copy(BUNDLED, tmp_path / "b-good.yaml")
    result = validate(tmp_path)
    assert result.exit_code == 1
    assert "a-bad.yaml:2:1: YAML syntax error" in result.output
    assert f"OK {tmp_path / 'b-good.yaml'}" in result.output


def test_a_directory_without_questionnaires_is_an_error(validate, tmp_path):
    result = validate(tmp_path)
    assert result.exit_code == 1
    assert "no questionnaire files found" in result.output


def test_two_files_with_one_questionnaire_id_fail_and_name_the_other_file(validate, tmp_path):
    """The app serves one questionnaire per id: a copy saved under a new name but keeping
    the id would silently replace (or be hidden by) the original."""
    shutil.copy(BUNDLED, tmp_path / "a-original.yaml")
    shutil.copy(BUNDLED, tmp_path / "b-copy.yaml")
    result = validate(tmp_path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"OK {tmp_path / 'a-original.yaml'}")
    line = next(
        n for n, text in enumerate(BUNDLED.read_text().splitlines(), 1) if text.startswith("id:")
    )
    assert lines[1] == (
        f"{tmp_path / 'b-copy.yaml'}:{line}:1: the id 'customer-data-maturity' is already used"
        f" by {tmp_path / 'a-original.yaml'}"
    )
    assert lines[2] == "    hint: give this questionnaire an id of its own, e.g. id: b-copy"


def test_a_valid_file_with_an_incomplete_translation_gets_a_note_not_a_failure(validate, tmp_path):
    french = BUNDLED_DIR / "paie-rh-pme.yaml"
    path = tmp_path / "paie-rh-pme.yaml"
    complete = validate(french)
    assert complete.exit_code == 0 and "note:" not in complete.output
    path.write_text(
        french.read_text(encoding="utf-8").replace(
            '      pays:\n        label: "In which country is your head office?"\n', "", 1
        ),
        encoding="utf-8",
    )
    result = validate(path)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == (
        "    note: translations.en leaves 1 text(s) in fr, which en readers see as they are: "
        "questions.pays.label"
    )


def test_a_theme_logo_that_is_no_file_in_the_static_folder_fails_at_its_line(
    validate, tmp_path, monkeypatch
):
    """A misspelt or missing logo loaded fine: the wizard then showed a broken image on every
    page and the report the default mark, and only the worker's log said why."""
    static = tmp_path / "static"
    (static / "logos").mkdir(parents=True)
    (static / "logos" / "acme.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    outside = tmp_path / "outside.svg"
    outside.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (static / "logos" / "link.svg").symlink_to(outside)
    monkeypatch.setenv("QUALIFY_STATIC_DIR", str(static))
    path = tmp_path / "themed.yaml"
    text = BUNDLED.read_text(encoding="utf-8").replace(
        "\nsteps:", '\ntheme:\n  logo: "logos/acme.svg"\nsteps:', 1
    )
    assert 'logo: "logos/acme.svg"' in text
    path.write_text(text, encoding="utf-8")
    assert validate(path).exit_code == 0
    line = text.splitlines().index('  logo: "logos/acme.svg"') + 1
    for name in ("logos/acme.png", "logos/link.svg"):
        path.write_text(text.replace("logos/acme.svg", name), encoding="utf-8")
        result = validate(path)
        assert result.exit_code == 1, result.output
        assert f"{path}:{line}: theme logo '{name}' is not a file in {static}" in result.output
        assert "\n    hint: put the image there" in result.output
