"""The questionnaire format's JSON Schema, generated from the model the loader validates
with, so that editors complete and check the YAML files exactly as qualify will."""

from __future__ import annotations

import json
from pathlib import Path

from .questionnaire import Questionnaire

SCHEMA_FILE = "questionnaire.schema.json"
#: The line a questionnaire puts on top so that YAML-aware editors use the schema.
EDITOR_LINE = f"# yaml-language-server: $schema={SCHEMA_FILE}"


def questionnaire_schema() -> dict:
    schema = Questionnaire.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_FILE,
        **schema,
        "title": "qualify questionnaire",
        "description": "A qualify questionnaire: steps of questions whose answers feed FIT, "
        "INTENT and TIMING, a contact step, and the prospect's diagnostic.",
    }


def schema_text() -> str:
    return json.dumps(questionnaire_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schema(directory: str | Path) -> Path:
    path = Path(directory) / SCHEMA_FILE
    path.write_text(schema_text(), encoding="utf-8")
    return path
