"""``qualify validate``: check questionnaire files, without the app.

Works even when the app's configuration is broken: it only reads YAML files.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from .core.loader import LoadError, QuestionnaireError, load_questionnaire, read_source
from .core.questionnaire import Questionnaire
from .core.translations import untranslated
from .questionnaires import duplicate_id_error

#: Where the app serves a theme's logo from when not configured otherwise (STATIC_DIR).
DEFAULT_STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

QUESTIONNAIRE_SUFFIXES = (".yaml", ".yml")
#: Fixture cases live next to a questionnaire and are not questionnaires themselves.
CASES_SUFFIXES = (".cases.yaml", ".cases.yml")


def find_questionnaire_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, plus every questionnaire YAML file in the directories named."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix in QUESTIONNAIRE_SUFFIXES
                and not p.name.endswith(CASES_SUFFIXES)
            )
        else:
            files.append(path)
    return files


def format_error(error: LoadError) -> str:
    """``file:line:column: message`` then an indented hint, as editors and CI logs expect."""
    where = ":".join(str(part) for part in (error.file, error.line, error.column) if part)
    text = f"{where}: {error.message}"
    return text + (f"\n    hint: {error.hint}" if error.hint else "")


def validate_file(path: Path, taken: dict[str, Path]) -> bool:
    """Check one file and print the outcome; True when it is valid. ``taken`` maps the ids
    of the files checked so far to their file: two files with one id are a mistake (the
    app would serve only one of them)."""
    try:
        questionnaire: Questionnaire = load_questionnaire(path)
    except QuestionnaireError as exc:
        for error in exc.errors:
            click.echo(format_error(error))
        return False
    missing_logo = logo_error(path, questionnaire)
    if missing_logo is not None:
        click.echo(format_error(missing_logo))
        return False
    other = taken.setdefault(questionnaire.id, path)
    if other != path:
        error = duplicate_id_error(str(path), read_source(path), questionnaire.id, str(other))
        click.echo(format_error(error))
        return False
    count = len(questionnaire.questions())
    click.echo(f"OK {path} ({questionnaire.id} v{questionnaire.version}, {count} questions)")
    for language in questionnaire.languages()[1:]:
        missing = untranslated(questionnaire, language)
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            click.echo(
                f"    note: translations.{language} leaves {len(missing)} text(s) in "
                f"{questionnaire.language}, which {language} readers see as they are: {shown}"
            )
    return True


def static_dir() -> Path:
    """The folder a theme's logo is looked up in: QUALIFY_STATIC_DIR, else the app's default
    (validate runs without the app and its configuration)."""
    return Path(os.environ.get("QUALIFY_STATIC_DIR") or DEFAULT_STATIC_DIR)


def logo_error(path: Path, questionnaire: Questionnaire) -> LoadError | None:
    """The mistake of a theme logo that is no file under the static folder: the wizard showed
    a broken image on every page, and the report the default mark, with no word said."""
    logo = questionnaire.theme.logo
    if not logo:
        return None
    static = static_dir().resolve()
    if (static / logo).resolve().is_relative_to(static) and (static / logo).is_file():
        return None
    source = read_source(path)
    found = re.search(r"\blogo\s*:", source)
    line = source.count("\n", 0, found.start()) + 1 if found else None
    return LoadError(
        str(path),
        line,
        None,
        f"theme logo '{logo}' is not a file in {static}",
        "put the image there (a link leading out of that folder is not followed), fix the "
        "name, or set QUALIFY_STATIC_DIR to the folder the app serves",
    )


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check questionnaire files (or every *.yaml / *.yml in the directories given).

    Prints every mistake as file:line:column with a hint; exits 1 if any file has one.
    """
    files = find_questionnaire_files(paths)
    if not files:
        click.echo("no questionnaire files found (*.yaml, *.yml)", err=True)
        sys.exit(1)
    taken: dict[str, Path] = {}
    results = [validate_file(path, taken) for path in files]  # every file, not the first bad
    if not all(results):
        sys.exit(1)
