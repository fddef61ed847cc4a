"""Load a questionnaire YAML file safely, reporting every mistake with file, line and hint.

(First version: the issue #2 helper replaces this with the full checker.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from .questionnaire import Questionnaire


@dataclass(frozen=True)
class LoadError:
    file: str
    line: int | None
    column: int | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "") + (
            f":{self.column}" if self.column else ""
        )
        return f"{where}: {self.message}" + (f" — {self.hint}" if self.hint else "")


class QuestionnaireError(Exception):
    """A questionnaire file has one or more mistakes; ``errors`` lists them all."""

    def __init__(self, errors: list[LoadError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def load_questionnaire(path: str | Path) -> Questionnaire:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        return Questionnaire.model_validate(data)
    except (yaml.YAMLError, ValidationError) as exc:
        raise QuestionnaireError([LoadError(str(path), None, None, str(exc))]) from exc
