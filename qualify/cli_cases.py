"""``qualify test``: run the fixture cases kept beside the questionnaires."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import yaml

from .cli_questionnaires import format_error
from .core.cases import case_line, check_cases, load_cases_located, rep_slots_from_yaml, run_case
from .core.loader import QuestionnaireError, load_questionnaire

SAMPLE_REPS = Path(__file__).parent / "sample" / "reps.yaml"


def find_case_files(paths: tuple[Path, ...]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.glob("*.cases.yaml")) + sorted(path.glob("*.cases.yml"))
        else:
            files.append(path)
    return files


def questionnaire_for(cases_file: Path, questionnaire_id: str):
    """The questionnaire a cases file names, looked up among its neighbours; if none has
    that id, None and the mistakes of the neighbours that did not load (the one named
    like the cases file first: it is most likely the one meant)."""
    broken: list[QuestionnaireError] = []
    stem = cases_file.name.split(".cases.")[0]
    candidates = sorted(
        cases_file.parent.glob("*.y*ml"), key=lambda p: (p.name.split(".")[0] != stem, p.name)
    )
    for candidate in candidates:
        if candidate.name.endswith((".cases.yaml", ".cases.yml")):
            continue
        try:
            questionnaire = load_questionnaire(candidate)
        except QuestionnaireError as exc:
            broken.append(exc)
            continue
        if questionnaire.id == questionnaire_id:
            return questionnaire, []
    return None, broken


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--reps",
    "reps_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=SAMPLE_REPS,
    show_default="the sample reps",
    help="Reps file used to check where SQL cases are routed.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show the reasons of passing cases too.")
def test_cases(paths: tuple[Path, ...], reps_file: Path, verbose: bool) -> None:
    """Run the fixture cases (*.cases.yaml) in PATHS (default: questionnaires/)."""
    files = find_case_files(paths or (Path("questionnaires"),))
    if not files:
        raise click.ClickException("no *.cases.yaml file found")
    reps = rep_slots_from_yaml(yaml.safe_load(reps_file.read_text(encoding="utf-8")) or {})
    failed = passed = 0
    for cases_file in files:
        try:
            case_file, source = load_cases_located(cases_file)
        except QuestionnaireError as exc:
            for error in exc.errors:
                click.echo(format_error(error))
            failed += 1
            continue
        questionnaire, broken = questionnaire_for(cases_file, case_file.questionnaire)
        if questionnaire is None:
            click.echo(f"{cases_file}: no valid questionnaire '{case_file.questionnaire}' beside it")
            for exc in broken:
                click.echo(f"  {exc.errors[0].file} does not load; fix it first:")
                for error in exc.errors:
                    click.echo("  " + format_error(error).replace("\n", "\n  "))
            failed += 1
            continue
        mistakes = check_cases(questionnaire, case_file, source, str(cases_file))
        if mistakes:
            for error in mistakes:
                click.echo(format_error(error))
            failed += 1
            continue
        click.echo(f"{cases_file} ({questionnaire.id} v{questionnaire.version})")
        for index, case in enumerate(case_file.cases):
            result = run_case(questionnaire, case, reps)
            if result.passed:
                passed += 1
                click.echo(f"  PASS {case.name}")
            else:
                failed += 1
                click.echo(f"  FAIL {case.name} ({cases_file}:{case_line(source, index)})")
                for difference in result.differences:
                    click.echo(f"       {difference}")
            if verbose or not result.passed:
                for reason in result.reasons:
                    click.echo(f"         · {reason}")
    click.echo(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


@click.command("schema")
@click.argument("directory", default="questionnaires", type=click.Path(file_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Exit 1 if the shipped schema is out of date.")
def schema(directory: Path, check: bool) -> None:
    """Write the questionnaire JSON Schema into DIRECTORY (default: questionnaires/)."""
    from .core.schema import SCHEMA_FILE, schema_text, write_schema

    if check:
        current = (directory / SCHEMA_FILE).read_text(encoding="utf-8") if (directory / SCHEMA_FILE).exists() else ""
        if current != schema_text():
            raise click.ClickException(f"{directory / SCHEMA_FILE} is out of date: run 'qualify schema'")
        click.echo(f"{directory / SCHEMA_FILE} is up to date")
        return
    click.echo(f"wrote {write_schema(directory)}")
