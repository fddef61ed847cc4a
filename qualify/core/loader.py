"""Load a questionnaire YAML file safely, reporting every mistake with file, line and hint.

Three passes, each collecting all the mistakes it finds:

1. **Parse** the YAML event stream ourselves (never ``yaml.load``): anchors, aliases, tags,
   duplicate keys and YAML 1.1 surprises (``no``, ``on``, ``0755``, ``1:10`` unquoted) are
   refused (so are digits with underscores, hexadecimal and binary numbers: ``3_6`` is 36),
   and the line and column of every value is kept, keyed by its path.
2. **Validate** the plain data with the pydantic model; each error's ``loc`` is mapped back
   to a line through those paths, and rephrased for a marketer (what was found, what to write).
3. **Check references** the model cannot see: duplicate question ids, unknown criteria,
   signals and dimensions, routing questions, unfed criteria, score bands with gaps,
   ``show_if`` on later or unknown questions, unknown country codes, an SQL threshold no
   answers can reach, translations and checklist overrides naming what does not exist.
   When the model refused part of the file, these checks still run on the rest (an unknown
   key near a valid one read as that one, what cannot be read left out), so that every
   mistake is reported in one run; a finding about something left out is not reported.

Pure: PyYAML and pydantic only.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
import types
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from .countries import is_country_code
from .questionnaire import (
    CHECKLIST_IDS,
    CHOICE_TYPES,
    FROM_FILE,
    LEVEL_SHARE,
    ROUTING_TYPES,
    STANDARD_HIDDEN_FIELDS,
    Band,
    Condition,
    Effect,
    Question,
    Questionnaire,
    Translation,
)

#: Larger files are refused before parsing: a real questionnaire is a few KiB.
MAX_BYTES = 256 * 1024
#: Deeper nesting is refused (the format needs about 8 levels; this bounds recursion).
MAX_DEPTH = 40

TOO_LARGE = f"the file is larger than {MAX_BYTES // 1024} KiB, the limit for a questionnaire"
TOO_LARGE_HINT = "a questionnaire is a few KiB of YAML: split it, or remove what is not needed"

DataPath = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass(frozen=True)
class LoadError:
    file: str
    line: int | None
    column: int | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = (
            self.file
            + (f":{self.line}" if self.line else "")
            + (f":{self.column}" if self.column else "")
        )
        return f"{where}: {self.message}" + (f" — {self.hint}" if self.hint else "")


class QuestionnaireError(Exception):
    """A questionnaire file has one or more mistakes; ``errors`` lists them all."""

    def __init__(self, errors: list[LoadError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Load and check one questionnaire file.

    Raises ``QuestionnaireError`` listing every mistake found (file, line, column, message,
    hint); a YAML syntax error stops the parse, so mistakes after it are not reported.
    """
    path = Path(path)
    return load_questionnaire_text(read_source(path), str(path))


def content_hash(text: str) -> str:
    """The hash a score snapshot keeps of the questionnaire text it was scored with."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_questionnaire_text(text: str, file: str) -> Questionnaire:
    """Check a questionnaire's YAML text; errors are reported against ``file``."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise QuestionnaireError([LoadError(file, None, None, TOO_LARGE, TOO_LARGE_HINT)])
    data, source, errors = parse_yaml(text, file)
    questionnaire, findings = validate_data(data)
    if questionnaire is not None:
        findings += check_references(questionnaire)
    elif findings:
        # The model refused part of the file: check the references of the rest all the
        # same, so that every mistake is reported in one run, not only the model's.
        findings += check_references_despite_errors(data)
    errors += [locate_finding(finding, source, file) for finding in findings]
    if errors:
        raise QuestionnaireError(sorted(errors, key=lambda e: (e.line or 0, e.column or 0)))
    assert questionnaire is not None  # no errors means the model validated
    return questionnaire


def read_source(path: Path) -> str:
    """The file's text; refuses files that are missing, too large or not UTF-8."""
    file = str(path)
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)  # never read more than the limit
    except OSError as exc:
        raise QuestionnaireError(
            [LoadError(file, None, None, f"cannot read the file: {exc.strerror}", None)]
        ) from None
    if len(raw) > MAX_BYTES:
        raise QuestionnaireError(
            [
                LoadError(file, None, None, TOO_LARGE, TOO_LARGE_HINT)
            ]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise QuestionnaireError(
            [LoadError(file, line, None, "the file is not UTF-8 text", "save it as UTF-8")]
        ) from None


# -- 1. parsing: YAML events to plain data, with the position of every value --------------


@dataclass
class SourceMap:
    """Where each value (by path of keys and indices) and each mapping key sits in the file."""

    values: dict[DataPath, Position] = field(default_factory=dict)
    keys: dict[DataPath, Position] = field(default_factory=dict)

    def locate(self, path: DataPath, at_key: bool = False) -> Position:
        """The position of ``path``, or of its nearest ancestor the file has."""
        while True:
            if at_key and path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            if not path:
                return (1, 1)
            path = path[:-1]


def parse_yaml(text: str, file: str) -> tuple[Any, SourceMap, list[LoadError]]:
    """Parse YAML text into plain data, its source map, and the refused constructs found.

    Raises ``QuestionnaireError`` on a syntax error (with any mistakes found before it).
    """
    builder = TreeBuilder(file)
    try:
        data = builder.build(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        raise QuestionnaireError([*builder.errors, describe_syntax_error(exc, file)]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        message = f"character #x{exc.character:04x} is not allowed in YAML"
        hint = "remove it (often a control character pasted from another tool)"
        raise QuestionnaireError(
            [*builder.errors, LoadError(file, line, None, message, hint)]
        ) from None
    return data, builder.source, builder.errors


def describe_syntax_error(exc: yaml.MarkedYAMLError, file: str) -> LoadError:
    """A YAML syntax error as a LoadError, with a hint for the usual causes."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    problem = exc.problem or "invalid YAML"
    context = f" ({exc.context})" if exc.context else ""
    return LoadError(
        file,
        line,
        column,
        f"YAML syntax error: {problem}{context}",
        hint_syntax(problem + context),
    )


SYNTAX_HINTS = (
    ("'\\t'", "indent with spaces: YAML does not allow tabs"),
    (
        "that cannot start any token",
        "put text that starts with @, `, % or another sign in quotes: \"@text\"",
    ),
    (
        "while scanning an alias",
        "put text that starts with * in quotes (\"*text*\"): YAML reads * as an alias",
    ),
    (
        "while scanning an anchor",
        "put text that starts with & in quotes (\"& co\"): YAML reads & as an anchor",
    ),
    (
        "but found '<scalar>'",
        "a quote ends the text early or was left open: inside \"...\" write \\\" for a "
        "quote, or put the text in '...'; check the quotes on this line and the ones above",
    ),
    ("mapping values are not allowed", "put text that contains ': ' in quotes"),
    (
        "could not find expected ':'",
        "every key needs a ':' after it; check for a missing colon "
        "or an unclosed quote on this line or the one above",
    ),
    ("end of stream", "close the quote or bracket that is still open"),
    ("expected <block end>", "items of one list or mapping must start in the same column"),
)


def hint_syntax(problem: str) -> str:
    """The likely fix for a YAML syntax problem."""
    for needle, hint in SYNTAX_HINTS:
        if needle in problem:
            return hint
    return "check the indentation and the quotes on this line and the one above"


_RESOLVER = yaml.resolver.Resolver()
_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n"}
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
#: Numbers YAML 1.1 reads from text that does not look like one: digits with underscores
#: (3_6 is 36), hexadecimal (0x1F) and binary (0b101).
_NUMBER_LOOKALIKE = re.compile(r"[-+]?(?:[0-9.]*_[0-9_.]*(?:[eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F_]+|0b[01_]+)")


class TreeBuilder:
    """Turns a YAML event stream into plain Python, recording where each value sits.

    Works on events rather than composed nodes so that an alias is never expanded (no
    "billion laughs") and anchors, tags and duplicate keys are seen where they are written.
    """

    def __init__(self, file: str):
        self.file = file
        self.source = SourceMap()
        self.errors: list[LoadError] = []

    def build(self, events: Iterator[yaml.Event]) -> Any:
        """The first document's data (None for an empty file)."""
        data, documents = None, 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.report(
                        event,
                        "a questionnaire file holds one YAML document, not several",
                        "remove this '---' line and what follows, or move it to its own file",
                    )
                    break
            elif isinstance(event, yaml.NodeEvent):
                data = self.read_node(event, events, ())
        return data

    def read_node(self, event: yaml.Event, events: Iterator[yaml.Event], path: DataPath) -> Any:
        self.source.values[path] = position(event)
        self.refuse_anchor_and_tag(event)
        if isinstance(event, yaml.AliasEvent):
            return None
        if isinstance(event, yaml.ScalarEvent):
            return self.read_scalar(event)
        if len(path) > MAX_DEPTH:
            self.report(
                event,
                f"nesting deeper than {MAX_DEPTH} levels",
                "a questionnaire never needs this depth: check the indentation",
            )
            skip_collection(events)
            return None
        if isinstance(event, yaml.SequenceStartEvent):
            return self.read_sequence(events, path)
        return self.read_mapping(events, path)

    def read_sequence(self, events: Iterator[yaml.Event], path: DataPath) -> list[Any]:
        entries = iter_until(events, yaml.SequenceEndEvent)
        return [self.read_node(item, events, (*path, i)) for i, item in enumerate(entries)]

    def read_mapping(self, events: Iterator[yaml.Event], path: DataPath) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        entries = iter_until(events, yaml.MappingEndEvent)
        for key_event in entries:
            key = self.read_key(key_event, events)
            value_event = next(entries)
            if key is not None and key in mapping:
                first_line = self.source.keys[(*path, key)][0]
                self.report(
                    key_event,
                    f"duplicate key '{key}' (first on line {first_line})",
                    f"keep one '{key}:' and remove or rename the other: YAML would "
                    "silently keep only the last one",
                )
                key = None
            if key is None:  # still parsed, so mistakes inside it are reported too
                self.read_node(value_event, events, (*path, "<ignored>"))
                continue
            self.source.keys[(*path, key)] = position(key_event)
            mapping[key] = self.read_node(value_event, events, (*path, key))
        return mapping

    def read_key(self, event: yaml.Event, events: Iterator[yaml.Event]) -> str | None:
        """A mapping key as text (YAML keys are always text here), or None if refused."""
        if not isinstance(event, yaml.ScalarEvent):
            if not isinstance(event, yaml.AliasEvent):
                self.report(
                    event,
                    "a key must be plain text, not a list or a mapping",
                    "write the key as a word followed by ':'",
                )
            self.read_node(event, events, ("<ignored>",))
            return None
        self.refuse_anchor_and_tag(event)
        if event.style is None:
            self.refuse_surprise(event)
        return event.value

    def read_scalar(self, event: yaml.ScalarEvent) -> Any:
        # Quoted, block and tagged scalars are text exactly as written.
        if event.style is not None or event.tag is not None:
            return event.value
        if self.refuse_surprise(event):
            return event.value
        return resolve_plain(event.value)

    def refuse_anchor_and_tag(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.AliasEvent):
            self.report(
                event,
                f"alias '*{event.anchor}' refused: questionnaires do not use anchors and aliases",
                "write the value out in full where it is needed",
            )
            return
        if getattr(event, "anchor", None):
            self.report(
                event,
                f"anchor '&{event.anchor}' refused: questionnaires do not use anchors and aliases",
                f"remove '&{event.anchor}'",
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self.report(
                event,
                f"tag '{shown}' refused: a questionnaire holds plain data only",
                f"remove '{shown}' (put the value in quotes if it must stay text)",
            )

    def refuse_surprise(self, event: yaml.ScalarEvent) -> bool:
        """Report an unquoted scalar YAML 1.1 reads differently from what it looks like."""
        surprise = describe_surprise(event.value)
        if surprise:
            self.report(event, *surprise)
        return surprise is not None

    def report(self, event: yaml.Event, message: str, hint: str | None) -> None:
        self.errors.append(LoadError(self.file, *position(event), message, hint))


def describe_surprise(text: str) -> tuple[str, str] | None:
    """(message, hint) if unquoted ``text`` is a YAML 1.1 surprise, else None."""
    if text.lower() in _BOOL_WORDS:
        meaning = "true" if text.lower() in ("yes", "on", "y") else "false"
        return (
            f"unquoted {text} is read as the boolean {meaning} by YAML 1.1",
            f'write "{text}" in quotes for text, or true/false for a boolean',
        )
    if _LEADING_ZERO.fullmatch(text):
        return (
            f"unquoted {text} has a leading zero: YAML 1.1 reads it as an octal number",
            f'write "{text}" in quotes for text (a code), or '
            f"{int(text.replace('_', ''), 10)} for a number",
        )
    if _SEXAGESIMAL.fullmatch(text):
        return (
            f"unquoted {text} is read as a base-60 number by YAML 1.1",
            f'write "{text}" in quotes',
        )
    number = resolve_plain(text) if _NUMBER_LOOKALIKE.fullmatch(text) else None
    if isinstance(number, int | float) and not isinstance(number, bool):
        shown = str(number) if isinstance(number, int) else f"{number:g}"
        return (
            f"unquoted {text} is read as the number {shown} by YAML 1.1",
            f'write "{text}" in quotes for text, or {shown} for a number',
        )
    return None


def resolve_plain(text: str) -> Any:
    """The value of an unquoted scalar: null, boolean, number, or text."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    kind = tag.rsplit(":", 1)[-1]
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() == "true"
    if kind in ("int", "float"):
        constructor = yaml.constructor.SafeConstructor()
        return getattr(constructor, f"construct_yaml_{kind}")(yaml.ScalarNode(tag, text))
    return text  # timestamps stay text: no field of the format is a date


def iter_until(events: Iterator[yaml.Event], end: type) -> Iterator[yaml.Event]:
    """Events up to (and consuming) the first ``end`` event; callers may read from
    ``events`` between two items, which is how nested nodes are consumed."""
    for event in events:
        if isinstance(event, end):
            return
        yield event


def skip_collection(events: Iterator[yaml.Event]) -> None:
    depth = 1
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            if depth == 0:
                return


def position(event: yaml.Event) -> Position:
    """1-based (line, column) where an event starts."""
    return event.start_mark.line + 1, event.start_mark.column + 1


# -- 2. validation: pydantic errors rephrased and located --------------------------------


@dataclass(frozen=True)
class Finding:
    """A mistake in the data, located by its path; ``also`` names a related place."""

    path: DataPath
    message: str
    hint: str | None = None
    at_key: bool = False
    also: DataPath | None = None


def locate_finding(finding: Finding, source: SourceMap, file: str) -> LoadError:
    """The finding as a LoadError at the line and column of its path."""
    line, column = source.locate(finding.path, finding.at_key)
    message = finding.message
    if finding.also is not None:
        message += f" (first on line {source.locate(finding.also, at_key=True)[0]})"
    return LoadError(file, line, column, message, finding.hint)


def validate_data(data: Any) -> tuple[Questionnaire | None, list[Finding]]:
    """The questionnaire if ``data`` fits the model, else None and what is wrong."""
    if data is None:
        return None, [
            Finding(
                (), "the file is empty", "start from a bundled questionnaire in questionnaires/"
            )
        ]
    try:
        return Questionnaire.model_validate(data, context={FROM_FILE: True}), []
    except ValidationError as exc:
        errors = drop_misspelled_missing(exc.errors())
        errors, unions = split_union_errors(errors, data)
        findings = [describe_validation_error(error) for error in errors]
        return None, findings + [describe_union_errors(group) for group in unions.values()]


def split_union_errors(
    errors: list[Any], data: Any
) -> tuple[list[Any], dict[DataPath, list[Any]]]:
    """Errors of a value that fits none of a field's alternatives (``equals:`` takes text,
    a number or a boolean) come one per alternative, tagged with its type name: group them,
    by the value's path, to report the value once."""
    plain, unions = [], {}
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] in EXPECTED and loc and is_union_tag(data, loc):
            unions.setdefault(loc[:-1], []).append(error)
        else:
            plain.append(error)
    # A single alternative left is an ordinary error.
    plain += [group[0] for group in unions.values() if len(group) == 1]
    return plain, {loc: group for loc, group in unions.items() if len(group) > 1}


def is_union_tag(data: Any, loc: DataPath) -> bool:
    """Whether the last part of ``loc`` names an alternative type, not a key of the file."""
    tag = loc[-1]
    if not isinstance(tag, str) or existing_prefix(data, loc[:-1]) != loc[:-1]:
        return False
    parent = value_at(data, loc[:-1])
    return not (isinstance(parent, dict) and tag in parent)


def describe_union_errors(group: list[Any]) -> Finding:
    """One value that is none of the alternatives a field takes, as one Finding."""
    path = tuple(group[0]["loc"])[:-1]
    found = group[0].get("input")
    kinds = {error["type"].split("_")[0] for error in group}
    if "float" in kinds:
        kinds.discard("int")  # "a number" says it
    words = {"bool": "true/false"}
    alternatives = [
        words.get(kind, EXPECTED[f"{kind}_type"])
        for kind in ("string", "int", "float", "bool", "list", "dict", "model")
        if kind in kinds
    ]
    expected = ", ".join(alternatives[:-1]) + " or " + alternatives[-1]
    if path and path[-1] == "equals" and isinstance(found, list):
        hint = "to compare with several values, write in: [a, b] instead of equals:"
    else:
        hint = f"write {expected}"
    message = f"{format_path(path)}: expected {expected}, found {describe_value(found)}"
    return Finding(path, message, hint)


EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
}

#: Hints for the model's own rules (its ``model_validator`` messages say what is wrong).
RULE_HINTS = {
    "Weights": "change fit, intent and timing so that they add up to 100",
    "Thresholds": "the sql threshold must be at least the mql one",
    "Contact": "add '- {name: email, label: \"Work email\"}' under contact.fields",
    "Question": "check the question's type against its choices, ranges and if_yes/if_no",
}


def describe_validation_error(
    error: Mapping[str, Any], root: type[BaseModel] = Questionnaire
) -> Finding:
    """One pydantic error as a Finding: what was found, what is allowed, what to write
    (``root`` is the model of the whole file: a questionnaire, or a cases file)."""
    kind, loc, found = error["type"], tuple(error["loc"]), error.get("input")
    if kind == "extra_forbidden":
        return describe_unknown_key(loc, root)
    if kind == "missing":
        return describe_missing_key(loc)
    at_key = bool(loc) and loc[-1] == "[key]"
    path = loc[:-1] if at_key else loc
    where = format_path(path) + (" (a key)" if at_key else "")
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        message, hint = describe_bad_choice(found, ctx["expected"])
    elif kind in EXPECTED:
        message = f"expected {EXPECTED[kind]}, found {describe_value(found)}"
        hint = hint_type(kind, found, path)
    elif kind == "string_pattern_mismatch":
        message = f"{describe_value(found)} is not a valid name here"
        hint = hint_constraint(kind, ctx, found)
    elif kind == "value_error":
        # A RuleError carries its own hint; plain ValueErrors get the model's.
        message = str(ctx["error"])
        hint = getattr(ctx["error"], "hint", None) or rule_hint(path, root)
    else:
        message = f"{error['msg'].replace('Input should', 'should')}, found {describe_value(found)}"
        hint = hint_constraint(kind, ctx, found)
    return Finding(path, f"{where}: {message}", hint, at_key=at_key)


def describe_unknown_key(loc: DataPath, root: type[BaseModel] = Questionnaire) -> Finding:
    key, parent = str(loc[-1]), loc[:-1]
    close = nearest_field(loc, root)
    names = field_names(find_model(parent, root))
    hint = f"did you mean '{close}'?" if close else f"valid keys here: {', '.join(names)}"
    return Finding(loc, f"unknown key '{key}' in {format_path(parent)}", hint, at_key=True)


def nearest_field(loc: DataPath, root: type[BaseModel] = Questionnaire) -> str | None:
    """The valid key nearest to the unknown key at ``loc``, if one is close."""
    close = difflib.get_close_matches(str(loc[-1]), field_names(find_model(loc[:-1], root)), n=1)
    return close[0] if close else None


def drop_misspelled_missing(errors: list[Any], root: type[BaseModel] = Questionnaire) -> list[Any]:
    """A misspelt key also leaves the right one missing: report it once, as the misspelling."""
    suggested = {
        (*e["loc"][:-1], nearest_field(e["loc"], root))
        for e in errors
        if e["type"] == "extra_forbidden"
    }
    return [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in suggested)]


def describe_missing_key(loc: DataPath) -> Finding:
    key, parent = loc[-1], loc[:-1]
    where = format_path(parent)
    return Finding(
        parent, f"{where}: missing required key '{key}'", f"add '{key}:' to {where}", at_key=True
    )


def describe_bad_choice(found: Any, expected: str) -> tuple[str, str]:
    allowed = re.findall(r"'([^']*)'", expected)
    close = difflib.get_close_matches(str(found), allowed, n=1)
    hint = f"write one of {expected}" + (f" (did you mean '{close[0]}'?)" if close else "")
    return f"{describe_value(found)} is not allowed; expected one of {expected}", hint


def describe_value(value: Any) -> str:
    """A short phrase for a value found in the file."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value if len(value) <= 40 else value[:37] + '...'}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def hint_type(kind: str, found: Any, path: DataPath) -> str:
    """What to write when a value has the wrong type."""
    if not path:
        return "a questionnaire is 'key: value' lines, starting with 'id:' and 'version:'"
    if kind == "string_type":
        if found is None:
            return "write the text after the colon"
        if isinstance(found, bool | int | float):
            return f'put it in quotes: "{str(found).lower() if isinstance(found, bool) else found}"'
        return "write a single piece of text"
    if kind.startswith(("int", "float")):
        return "write a number without quotes, e.g. 10"
    if kind.startswith("bool"):
        return "write true or false"
    if kind == "list_type":
        return "write one '- item' per line under the key, or [a, b] on one line"
    return "write 'key: value' lines indented under this key, or {key: value} on one line"


def hint_constraint(kind: str, ctx: Mapping[str, Any], found: Any) -> str | None:
    """What to write when a value breaks a constraint (pattern, bounds, lengths)."""
    if kind == "string_pattern_mismatch":
        separator = "_" if "_" in ctx["pattern"] else "-"
        return (
            f"use lowercase letters, digits and '{separator}', starting with a letter, "
            f"e.g. '{slugify(found, separator)}'"
        )
    bounds = {
        "greater_than_equal": ("ge", "a number of at least {}"),
        "greater_than": ("gt", "a number above {}"),
        "less_than_equal": ("le", "a number of at most {}"),
        "less_than": ("lt", "a number below {}"),
        "too_short": ("min_length", "at least {} item(s)"),
        "too_long": ("max_length", "at most {} item(s)"),
        "string_too_short": ("min_length", "at least {} character(s)"),
        "string_too_long": ("max_length", "at most {} characters"),
    }
    if kind in bounds:
        key, template = bounds[kind]
        return "write " + template.format(ctx.get(key))
    return None


def rule_hint(path: DataPath, root: type[BaseModel] = Questionnaire) -> str | None:
    model = find_model(path, root)
    return RULE_HINTS.get(model.__name__) if model else None


def slugify(value: Any, separator: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", separator, str(value).lower()).strip(separator)
    return slug if slug[:1].isalpha() else f"x{separator}{slug}".rstrip(separator)


def format_path(path: DataPath) -> str:
    """``('steps', 0, 'questions', 2, 'type')`` → ``steps[0].questions[2].type``."""
    text = ""
    for segment in path:
        text += f"[{segment}]" if isinstance(segment, int) else f".{segment}"
    return text.lstrip(".") or "the questionnaire"


def find_model(path: DataPath, root: type[BaseModel] = Questionnaire) -> type[BaseModel] | None:
    """The pydantic model class describing the mapping at ``path``, if any."""
    annotation: Any = root
    for segment in path:
        annotation = descend_annotation(annotation, segment)
        if annotation is None:
            return None
    return next((a for a in unwrap_annotation(annotation) if is_model(a)), None)


def descend_annotation(annotation: Any, segment: str | int) -> Any:
    for candidate in unwrap_annotation(annotation):
        if is_model(candidate) and isinstance(segment, str):
            found = model_fields_by_key(candidate).get(segment)
            if found is not None:
                return found
        origin = get_origin(candidate)
        if origin is list and isinstance(segment, int):
            return get_args(candidate)[0]
        if origin is dict and isinstance(segment, str):
            return get_args(candidate)[1]
    return None


def unwrap_annotation(annotation: Any) -> list[Any]:
    """The alternatives of an annotation, without ``Annotated`` wrappers."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return unwrap_annotation(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [alt for arg in get_args(annotation) for alt in unwrap_annotation(arg)]
    return [annotation]


def is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def model_fields_by_key(model: type[BaseModel]) -> dict[str, Any]:
    """Field annotations by the key written in YAML (the alias when there is one)."""
    return {info.alias or name: info.annotation for name, info in model.model_fields.items()}


def field_names(model: type[BaseModel] | None) -> list[str]:
    return list(model_fields_by_key(model)) if model else []


# -- 2b. references of a file the model refused: check the rest all the same ------------

#: Rounds of leaving out what the model refuses before giving up on the reference checks.
SALVAGE_ROUNDS = 20


@dataclass
class Salvage:
    """The file's data with what the model refused renamed (an unknown key near a valid
    one, as the hint says) or left out, and the way back from its paths to the file's.

    Reference checks run on what remains; a finding naming something left out is dropped
    (it would say "does not exist" of a thing that is in the file, only broken)."""

    original: Any
    renames: dict[DataPath, str] = field(default_factory=dict)
    removed: set[DataPath] = field(default_factory=set)
    lost: set[str] = field(default_factory=set)
    kept_items: dict[DataPath, list[int]] = field(default_factory=dict)
    key_origin: dict[DataPath, dict[str, str]] = field(default_factory=dict)

    def build(self) -> Any:
        self.kept_items, self.key_origin = {}, {}
        return self._build(self.original, ())

    def _build(self, value: Any, path: DataPath) -> Any:
        if isinstance(value, dict):
            out, origin = {}, {}
            for key, item in value.items():
                here = (*path, key)
                if here in self.removed:
                    continue
                name = self.renames.get(here, key)
                origin[name] = key
                out[name] = self._build(item, here)
            self.key_origin[path] = origin
            return out
        if isinstance(value, list):
            kept = [i for i in range(len(value)) if (*path, i) not in self.removed]
            self.kept_items[path] = kept
            return [self._build(value[i], (*path, i)) for i in kept]
        return value

    def to_original(self, path: DataPath) -> DataPath:
        """A path in the built data as the path in the file's data."""
        original: DataPath = ()
        for segment in path:
            if isinstance(segment, int) and original in self.kept_items:
                kept = self.kept_items[original]
                segment = kept[segment] if segment < len(kept) else segment
            elif isinstance(segment, str):
                segment = self.key_origin.get(original, {}).get(segment, segment)
            original = (*original, segment)
        return original

    def refuse(self, built: Any, error: Mapping[str, Any]) -> bool:
        """Rename or leave out what ``error`` is about; False if nothing can be."""
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            close = nearest_field(loc)
            known = existing_prefix(built, loc[:-1]) == loc[:-1]
            parent = value_at(built, loc[:-1]) if known else None
            if close and isinstance(parent, dict) and close not in parent:
                self.renames[self.to_original(loc)] = close
                return True
        elif error["type"] == "missing" or (loc and loc[-1] == "[key]"):
            loc = loc[:-1]
        path = removable_path(built, existing_prefix(built, loc))
        if path is None:
            return False
        original = self.to_original(path)
        self.removed.add(original)
        lost = names_in(value_at(self.original, original), path[-1])
        # A refused name's fixed spelling ('Company Size' → 'company_size') is lost too.
        self.lost |= lost | {slugify(name, "_") for name in lost}
        return True

    def keeps(self, finding: Finding) -> bool:
        return not any(f"'{name}'" in finding.message for name in self.lost)


def check_references_despite_errors(data: Any) -> list[Finding]:
    """The reference findings of what the model accepts in a file it refused, located in
    the file; none when too much is broken to tell."""
    if not isinstance(data, dict):
        return []
    salvage = Salvage(data)
    for _ in range(SALVAGE_ROUNDS):
        built = salvage.build()
        try:
            questionnaire = Questionnaire.model_validate(built)
        except ValidationError as exc:
            errors = drop_misspelled_missing(exc.errors())  # the rename supplies them
            refused = [salvage.refuse(built, error) for error in errors]
            if not any(refused):
                return []
            continue
        # Reachability is left out: the refused parts may be what would reach SQL.
        return [
            Finding(
                salvage.to_original(f.path),
                f.message,
                f.hint,
                f.at_key,
                None if f.also is None else salvage.to_original(f.also),
            )
            for f in check_references(questionnaire, reachable=False)
            if salvage.keeps(f)
        ]
    return []


def value_at(data: Any, path: DataPath) -> Any:
    for segment in path:
        data = data[segment]
    return data


def existing_prefix(data: Any, path: DataPath) -> DataPath:
    """The longest start of ``path`` that is in ``data`` (pydantic adds union tags)."""
    found: DataPath = ()
    for segment in path:
        in_mapping = isinstance(data, dict) and isinstance(segment, str) and segment in data
        in_list = isinstance(data, list) and isinstance(segment, int) and segment < len(data)
        if not (in_mapping or in_list):
            break
        data = data[segment]
        found = (*found, segment)
    return found


def removable_path(data: Any, path: DataPath) -> DataPath | None:
    """``path`` or its nearest ancestor that can be left out: a list item, an entry of a
    free mapping, or a model field with a default. None if only the whole file could."""
    while path:
        parent = value_at(data, path[:-1])
        if isinstance(parent, list):
            return path
        model = find_model(path[:-1])
        fields = model.model_fields if model else {}
        by_key = {info.alias or name: info for name, info in fields.items()}
        key = path[-1]
        if key not in by_key or not by_key[key].is_required():
            return path
        path = path[:-1]
    return None


def names_in(value: Any, key: str | int) -> set[str]:
    """The names a left-out part carries (its key, ids, mapping keys, texts)."""
    names = {key} if isinstance(key, str) else set()
    if isinstance(value, dict):
        for k, v in value.items():
            names |= names_in(v, k)
    elif isinstance(value, list):
        for item in value:
            names |= names_in(item, 0)
    elif isinstance(value, str):
        names.add(value)
    return names


# -- 3. references the model cannot check on its own ------------------------------------


def check_references(questionnaire: Questionnaire, reachable: bool = True) -> list[Finding]:
    """Mistakes across the questionnaire: ids, criteria, signals, dimensions, routing, bands
    (and, with ``reachable``, whether the SQL threshold can be reached)."""
    findings = [
        *check_question_ids(questionnaire),
        *check_unique_names(questionnaire),
        *check_criteria(questionnaire),
        *check_signals(questionnaire),
        *check_points(questionnaire),
        *check_routing(questionnaire),
        *check_unfed_criteria(questionnaire),
        *check_bands(questionnaire),
        *check_ranges(questionnaire),
        *check_show_if(questionnaire),
        *check_zones(questionnaire),
        *check_hidden_fields(questionnaire),
        *check_checklist(questionnaire),
        *check_review(questionnaire),
        *check_translations(questionnaire),
        *check_default_texts(questionnaire),
    ]
    # What is reachable is only meaningful once criteria and signals are all known.
    return findings or (check_sql_reachable(questionnaire) if reachable else [])


def iter_questions(questionnaire: Questionnaire) -> Iterator[tuple[DataPath, Question]]:
    for s, step in enumerate(questionnaire.steps):
        for q, question in enumerate(step.questions):
            yield ("steps", s, "questions", q), question


def iter_effects(path: DataPath, question: Question) -> Iterator[tuple[DataPath, Effect]]:
    for i, choice in enumerate(question.choices):
        yield (*path, "choices", i), choice
    for i, band in enumerate(question.ranges):
        yield (*path, "ranges", i), band
    for name in ("if_yes", "if_no", "other"):
        effect = getattr(question, name)
        if effect is not None:
            yield (*path, name), effect
    for name, zone in question.zones.items():
        yield (*path, "zones", name), zone


def iter_hidden_effects(questionnaire: Questionnaire) -> Iterator[tuple[DataPath, Effect]]:
    for name, hidden in questionnaire.hidden_fields.items():
        if hidden is None:
            continue
        for value, effect in hidden.values.items():
            yield ("hidden_fields", name, "values", value), effect
        if hidden.other is not None:
            yield ("hidden_fields", name, "other"), hidden.other


def iter_all_effects(questionnaire: Questionnaire) -> Iterator[tuple[DataPath, Effect]]:
    for path, question in iter_questions(questionnaire):
        yield from iter_effects(path, question)
    yield from iter_hidden_effects(questionnaire)


def suggest_name(name: str, known: Iterable[str], otherwise: str) -> str:
    """'did you mean X?' for the nearest known name, plus what else the author can do."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean '{close[0]}'? Otherwise {otherwise}" if close else otherwise


def check_question_ids(questionnaire: Questionnaire) -> list[Finding]:
    first_seen: dict[str, DataPath] = {}
    findings = []
    for path, question in iter_questions(questionnaire):
        if question.id in first_seen:
            findings.append(
                Finding(
                    (*path, "id"),
                    f"question id '{question.id}' is used twice",
                    "give each question its own id",
                    also=(*first_seen[question.id], "id"),
                )
            )
        first_seen.setdefault(question.id, path)
    return findings


def check_unique_names(questionnaire: Questionnaire) -> list[Finding]:
    """Dimension ids and contact fields, like question ids, are each given once."""
    lists = [
        (
            "diagnostic dimension id '{}' is used twice",
            [(("diagnostic", "dimensions", i, "id"), d.id)
             for i, d in enumerate(questionnaire.diagnostic.dimensions)],
            "give each dimension its own id",
        ),
        (
            "contact field '{}' is asked twice",
            [(("contact", "fields", i, "name"), f.name)
             for i, f in enumerate(questionnaire.contact.fields)],
            "ask each contact field once: remove this line",
        ),
    ]  # fmt: skip
    findings = []
    for message, named, hint in lists:
        first_seen: dict[str, DataPath] = {}
        for path, name in named:
            if name in first_seen:
                findings.append(
                    Finding(path, message.format(name), hint, also=first_seen[name])
                )
            first_seen.setdefault(name, path)
    return findings


def check_criteria(questionnaire: Questionnaire) -> list[Finding]:
    declared = questionnaire.fit_criteria
    findings = []
    for path, question in iter_questions(questionnaire):
        if question.criterion is not None and question.criterion not in declared:
            findings.append(
                Finding(
                    (*path, "criterion"),
                    f"criterion '{question.criterion}' is not declared in fit_criteria",
                    suggest_name(question.criterion, declared, "declare it under fit_criteria:"),
                )
            )
        if question.criterion is None:
            findings += check_levels_need_criterion(path, question, declared)
    return findings


def check_levels_need_criterion(
    path: DataPath, question: Question, declared: Iterable[str]
) -> list[Finding]:
    """A fit: level feeds nothing unless the question names the criterion it scores."""
    with_level = [p for p, effect in iter_effects(path, question) if effect.fit is not None]
    if not with_level:
        return []
    return [
        Finding(
            (*with_level[0], "fit"),
            f"question '{question.id}' gives fit: levels but names no criterion",
            f"add 'criterion: <name>' to the question (one of: {', '.join(declared)}), "
            "or remove its fit: levels",
        )
    ]


def check_signals(questionnaire: Questionnaire) -> list[Finding]:
    blocks = (
        ("intent", "INTENT", questionnaire.all_intent_signals()),
        ("timing", "TIMING", questionnaire.all_timing_signals()),
    )
    findings = []
    for path, effect in iter_all_effects(questionnaire):
        for key, block, known in blocks:
            for i, name in enumerate(getattr(effect, key)):
                if name not in known:
                    findings.append(
                        Finding(
                            (*path, key, i),
                            f"unknown {block} signal '{name}'",
                            suggest_name(name, known, f"declare it under {key}_signals:"),
                        )
                    )
    return findings


def check_points(questionnaire: Questionnaire) -> list[Finding]:
    dimensions = [d.id for d in questionnaire.diagnostic.dimensions]
    findings = []
    for path, effect in iter_all_effects(questionnaire):
        for name in effect.points:
            if name not in dimensions:
                findings.append(
                    Finding(
                        (*path, "points", name),
                        f"points go to dimension '{name}', not declared in diagnostic.dimensions",
                        suggest_name(name, dimensions, "declare it under diagnostic.dimensions:"),
                        at_key=True,
                    )
                )
    return findings


def check_routing(questionnaire: Questionnaire) -> list[Finding]:
    singles = [q.id for q in questionnaire.questions() if q.type in ROUTING_TYPES]
    findings = []
    for key in ("sector", "zone"):
        question_id = getattr(questionnaire.routing, key)
        if question_id is None:
            continue
        question = questionnaire.question(question_id)
        if question is None:
            message = f"routing.{key} names question '{question_id}', which does not exist"
        elif question.type not in ROUTING_TYPES:
            message = (
                f"routing.{key} names question '{question_id}', a {question.type} "
                "question; routing needs a single-choice, dropdown or country question"
            )
        else:
            continue
        hint = suggest_name(
            question_id,
            singles,
            f"name a single-choice question: {', '.join(singles) or 'none yet'}",
        )
        findings.append(Finding(("routing", key), message, hint))
    return findings


def check_unfed_criteria(questionnaire: Questionnaire) -> list[Finding]:
    fed = {q.criterion for q in questionnaire.questions()}
    fed |= {f.criterion for f in questionnaire.hidden_fields.values() if f is not None}
    return [
        Finding(
            ("fit_criteria", name),
            f"FIT criterion '{name}' is fed by no question: FIT completeness could never "
            "reach 100%",
            f"add 'criterion: {name}' to a question, or remove it from fit_criteria",
            at_key=True,
        )
        for name in questionnaire.fit_criteria
        if name not in fed
    ]


def check_bands(questionnaire: Questionnaire) -> list[Finding]:
    diagnostic = questionnaire.diagnostic
    findings = check_band_cover(("diagnostic", "bands"), diagnostic.bands)
    for i, dimension in enumerate(diagnostic.dimensions):
        findings += check_band_cover(("diagnostic", "dimensions", i, "bands"), dimension.bands)
    return findings


def check_band_cover(path: DataPath, bands: list[Band]) -> list[Finding]:
    """Bands must cover 0..100 once each: every score gets exactly one recommendation."""
    findings = []
    covered_to, last = -1, 0  # highest score covered so far, and the band covering it
    for i, band in sorted(enumerate(bands), key=lambda item: (item[1].min, item[1].max)):
        here = (*path, i)
        if band.min > band.max:
            findings.append(
                Finding(
                    here, f"band {band.min}–{band.max} ends before it starts", "swap min and max"
                )
            )
            continue
        if band.min > covered_to + 1:
            findings.append(
                Finding(
                    here,
                    f"bands leave a gap: scores {covered_to + 1}–{band.min - 1} have no band",
                    f"start this band at {covered_to + 1}, or add a band for the gap",
                )
            )
        elif band.min <= covered_to:
            findings.append(
                Finding(
                    here,
                    f"bands overlap: scores {band.min}–{min(band.max, covered_to)} are in two",
                    f"start this band at {covered_to + 1}",
                )
            )
        if band.max > covered_to:
            covered_to, last = band.max, i
    if 0 <= covered_to < 100:
        findings.append(
            Finding(
                (*path, last),
                f"bands leave a gap: scores {covered_to + 1}–100 have no band",
                "end the last band at 100",
            )
        )
    return findings


def check_ranges(questionnaire: Questionnaire) -> list[Finding]:
    """A number's ranges: each starts before it ends, and no number is in two of them (the
    first would silently win). A last range with no bounds is a catch-all, and allowed."""
    findings = []
    for path, question in iter_questions(questionnaire):
        earlier: list[tuple[int, float, float]] = []
        for i, band in enumerate(question.ranges):
            here = (*path, "ranges", i)
            low = -math.inf if band.min is None else band.min
            high = math.inf if band.max is None else band.max
            if low > high:
                findings.append(
                    Finding(here, f"range {band.min:g}–{band.max:g} ends before it starts",
                            "swap min and max")  # fmt: skip
                )
                continue
            catch_all = band.min is None and band.max is None
            clash = next((j for j, lo, hi in earlier if low <= hi and lo <= high), None)
            if clash is not None and not catch_all:
                other = question.ranges[clash]
                findings.append(
                    Finding(
                        here,
                        f"ranges overlap: {describe_range(band)} and {describe_range(other)} "
                        "share numbers, and the first one listed would always win",
                        "make each range start after the one before ends, e.g. max: 199 "
                        "then min: 200",
                    )
                )
            earlier.append((i, low, high))
    return findings


def describe_range(band: Any) -> str:
    low = "" if band.min is None else f"{band.min:g}"
    high = "" if band.max is None else f"{band.max:g}"
    return f"{low or '…'}–{high or '…'}"


# -- 3b. references of the full format: branching, countries, hidden fields, overrides --


def check_show_if(questionnaire: Questionnaire) -> list[Finding]:
    """show_if reads EARLIER answers only: the prospect must have seen the question."""
    order = {q.id: i for i, q in enumerate(questionnaire.questions())}
    findings = []
    for index, (path, question) in enumerate(iter_questions(questionnaire)):
        if question.show_if is None:
            continue
        for where, leaf in iter_conditions((*path, "show_if"), question.show_if):
            findings += check_condition(questionnaire, order, index, where, leaf, question)
    return findings


def iter_conditions(path: DataPath, condition: Condition) -> Iterator[tuple[DataPath, Condition]]:
    """The leaf conditions (question + equals/in) of a condition, with their paths."""
    if condition.question is not None:
        yield path, condition
        return
    key = "all" if condition.all is not None else "any"
    for i, nested in enumerate(getattr(condition, key) or []):
        yield from iter_conditions((*path, key, i), nested)


def check_condition(
    questionnaire: Questionnaire,
    order: Mapping[str, int],
    index: int,
    path: DataPath,
    leaf: Condition,
    question: Question,
) -> list[Finding]:
    name = leaf.question or ""
    earlier = [q for q, i in order.items() if i < index]
    if name not in order:
        message = f"show_if of '{question.id}' reads question '{name}', which does not exist"
        hint = suggest_name(name, earlier, f"name an earlier question: {', '.join(earlier)}")
    elif order[name] >= index:
        message = f"show_if of '{question.id}' reads question '{name}', which comes " + (
            "at the same place" if name == question.id else "later"
        )
        hint = (
            f"a condition can only read answers given before: move '{name}' above "
            f"'{question.id}', or name one of: {', '.join(earlier) or 'no question yet'}"
        )
    else:
        return check_condition_values(path, leaf, questionnaire.question(name))
    return [Finding((*path, "question"), message, hint)]


def check_condition_values(path: DataPath, leaf: Condition, read: Question | None) -> list[Finding]:
    """A condition's values must be answers the question it reads can give."""
    possible = possible_answers(read) if read is not None else None
    if read is None or possible is None:
        return []
    key = "in" if leaf.in_ is not None else "equals"
    return [
        Finding(
            (*path, key) if key == "equals" else (*path, key, i),
            f"show_if compares '{read.id}' with '{value}', which is not one of its answers",
            suggest_name(value, possible.named, possible.otherwise),
        )
        for i, value in enumerate(leaf.values())
        if not possible.allows(value)
    ]


@dataclass(frozen=True)
class PossibleAnswers:
    """The text values an answer can compare as (``answer_values``): the ``named`` ones,
    and with ``any_country`` any ISO code too."""

    named: list[str]
    any_country: bool = False

    def allows(self, value: str) -> bool:
        return value in self.named or (self.any_country and is_country_code(value))

    @property
    def otherwise(self) -> str:
        if self.any_country:
            zones = f" or a zone: {', '.join(self.named)}" if self.named else ""
            return f"write a two-letter ISO code (FR, DE...){zones}"
        return f"write one of: {', '.join(self.named)}"


def possible_answers(question: Question) -> PossibleAnswers | None:
    """What an answer to ``question`` can compare as; None when it can be anything."""
    if question.type in CHOICE_TYPES:
        return PossibleAnswers([c.value for c in question.choices])
    if question.type == "yes_no":
        return PossibleAnswers(["yes", "no"])
    if question.type == "scale" and question.scale is not None:
        return PossibleAnswers([str(n) for n in range(question.scale.min, question.scale.max + 1)])
    if question.type == "country":
        # A country question gives its code and its zone's name.
        return PossibleAnswers(list(question.zones), any_country=True)
    return None


def check_zones(questionnaire: Questionnaire) -> list[Finding]:
    """Zones name real ISO 3166-1 alpha-2 codes, each in one zone only."""
    findings = []
    for path, question in iter_questions(questionnaire):
        first_zone: dict[str, str] = {}
        for zone_name, zone in question.zones.items():
            for i, code in enumerate(zone.countries):
                where = (*path, "zones", zone_name, "countries", i)
                if not is_country_code(code):
                    findings.append(
                        Finding(
                            where,
                            f"'{code}' in zone '{zone_name}' is not an ISO 3166-1 country code",
                            "write the two-letter ISO code, e.g. FR, DE, GB (not UK), US",
                        )
                    )
                elif code in first_zone:
                    findings.append(
                        Finding(
                            where,
                            f"country {code} is in zone '{first_zone[code]}' and zone "
                            f"'{zone_name}'",
                            "put each country in one zone only",
                        )
                    )
                first_zone.setdefault(code, zone_name)
    return findings


def check_hidden_fields(questionnaire: Questionnaire) -> list[Finding]:
    """A hidden field feeds a declared criterion, and never the prospect's diagnostic."""
    declared = questionnaire.fit_criteria
    findings = []
    for name in questionnaire.hidden_fields:
        # utm_* names are a standard: one close to a standard one is a typo (GA4's own
        # utm_id, utm_source_platform... are far enough from them to pass).
        close = difflib.get_close_matches(name, STANDARD_HIDDEN_FIELDS, n=1, cutoff=0.85)
        if close and name.startswith("utm_") and name not in STANDARD_HIDDEN_FIELDS:
            findings.append(
                Finding(
                    ("hidden_fields", name),
                    f"hidden field '{name}' is not one the embed passes, but looks like "
                    f"'{close[0]}', which it does",
                    f"did you mean '{close[0]}'?",
                    at_key=True,
                )
            )
    for name, hidden in questionnaire.hidden_fields.items():
        if hidden is None:
            continue
        path = ("hidden_fields", name)
        if hidden.criterion is not None and hidden.criterion not in declared:
            findings.append(
                Finding(
                    (*path, "criterion"),
                    f"criterion '{hidden.criterion}' is not declared in fit_criteria",
                    suggest_name(hidden.criterion, declared, "declare it under fit_criteria:"),
                )
            )
        if hidden.criterion is None and any(e.fit for e in hidden.effects()):
            findings.append(
                Finding(
                    path,
                    f"hidden field '{name}' gives fit: levels but names no criterion",
                    "add 'criterion: <name>' to the hidden field, or remove its fit: levels",
                    at_key=True,
                )
            )
    for path, effect in iter_hidden_effects(questionnaire):
        if effect.points:
            findings.append(
                Finding(
                    (*path, "points"),
                    "a hidden field cannot give diagnostic points: the prospect did not answer it",
                    "remove points: here; give FIT, INTENT or TIMING instead",
                    at_key=True,
                )
            )
    return findings


def check_checklist(questionnaire: Questionnaire) -> list[Finding]:
    """Overrides name a default item id, a declared criterion and known signals."""
    signals = {**questionnaire.all_intent_signals(), **questionnaire.all_timing_signals()}
    findings = []
    for item_id, override in questionnaire.checklist.items():
        path = ("checklist", item_id)
        if item_id not in CHECKLIST_IDS:
            findings.append(
                Finding(
                    path,
                    f"checklist item '{item_id}' does not exist",
                    suggest_name(item_id, CHECKLIST_IDS, f"use one of: {', '.join(CHECKLIST_IDS)}"),
                    at_key=True,
                )
            )
        if override.criterion and override.criterion not in questionnaire.fit_criteria:
            findings.append(
                Finding(
                    (*path, "criterion"),
                    f"criterion '{override.criterion}' is not declared in fit_criteria",
                    suggest_name(
                        override.criterion,
                        questionnaire.fit_criteria,
                        "declare it under fit_criteria:",
                    ),
                )
            )
        for i, signal in enumerate(override.signals):
            if signal not in signals:
                findings.append(
                    Finding(
                        (*path, "signals", i),
                        f"unknown signal '{signal}'",
                        suggest_name(signal, signals, "name an INTENT or TIMING signal"),
                    )
                )
    return findings


def check_review(questionnaire: Questionnaire) -> list[Finding]:
    if questionnaire.review is None:
        return []
    declared = questionnaire.fit_criteria
    findings = []
    for i, when in enumerate(questionnaire.review.when_any):
        if when.criterion is None:
            continue
        if when.criterion not in declared:
            findings.append(
                Finding(
                    ("review", "when_any", i, "criterion"),
                    f"review names criterion '{when.criterion}', not declared in fit_criteria",
                    suggest_name(when.criterion, declared, f"use one of: {', '.join(declared)}"),
                )
            )
            continue
        possible = criterion_answers(questionnaire, when.criterion)
        findings += [
            Finding(
                ("review", "when_any", i, "value_in", j),
                f"review waits for '{value}' in criterion '{when.criterion}', which no answer "
                "feeding it can give: the rule would never hold",
                suggest_name(value, possible.named, possible.otherwise),
            )
            for j, value in enumerate(when.value_in or [])
            if possible is not None and not possible.allows(value)
        ]
    return findings


def criterion_answers(questionnaire: Questionnaire, criterion: str) -> PossibleAnswers | None:
    """What the answers and hidden fields feeding ``criterion`` can compare as; None when
    one of them can give anything (a number, a text, a hidden field with ``other``)."""
    named: list[str] = []
    any_country = fed = False
    for question in questionnaire.questions():
        if question.criterion != criterion:
            continue
        fed = True
        possible = possible_answers(question)
        if possible is None:
            return None
        named += [v for v in possible.named if v not in named]
        any_country = any_country or possible.any_country
    for hidden in questionnaire.hidden_fields.values():
        if hidden is None or hidden.criterion != criterion:
            continue
        if hidden.other is not None:
            return None
        fed = True
        named += [v for v in hidden.values if v not in named]
    # A criterion nothing feeds is reported as such, not once more per value.
    return PossibleAnswers(named, any_country) if fed else None


#: Texts the model fills in English when left out: (path, model attribute path).
ENGLISH_DEFAULTS = (
    (("diagnostic", "title"), "diagnostic"),
    (("contact", "title"), "contact"),
    (("next_step", "title"), "next_step"),
)


def check_default_texts(questionnaire: Questionnaire) -> list[Finding]:
    """A questionnaire in another language than English must write the texts the format
    would otherwise fill in English, or its prospects would read English there."""
    if questionnaire.language == "en":
        return []
    findings = []
    for path, attribute in ENGLISH_DEFAULTS:
        part = getattr(questionnaire, attribute)
        if path[-1] not in part.model_fields_set:
            default = getattr(part, path[-1])
            findings.append(
                Finding(
                    path[:-1],
                    f"{'.'.join(path)} is left out: prospects of this {questionnaire.language} "
                    f"questionnaire would read the English default '{default}'",
                    f"add '{path[-1]}:' to {path[0]}, in {questionnaire.language}",
                    at_key=True,
                )
            )
    return findings


def check_translations(questionnaire: Questionnaire) -> list[Finding]:
    findings = []
    for language, translation in questionnaire.translations.items():
        path: DataPath = ("translations", language)
        if language == questionnaire.language:
            findings.append(
                Finding(
                    path,
                    f"translations.{language} is in the questionnaire's own language "
                    f"({language}): it would never be used",
                    "write the texts in the questionnaire itself, and translate into "
                    "another language (en, fr)",
                    at_key=True,
                )
            )
            continue
        findings += check_translated_questions(questionnaire, path, translation)
        findings += check_translated_counts(questionnaire, path, translation)
        findings += check_translated_names(questionnaire, path, translation)
    return findings


def check_translated_questions(
    questionnaire: Questionnaire, path: DataPath, translation: Translation
) -> list[Finding]:
    """A translation names existing questions, and choices those questions have."""
    ids = [q.id for q in questionnaire.questions()]
    findings = []
    for question_id, text in translation.questions.items():
        where = (*path, "questions", question_id)
        question = questionnaire.question(question_id)
        if question is None:
            findings.append(
                Finding(
                    where,
                    f"the translation names question '{question_id}', which does not exist",
                    suggest_name(question_id, ids, "translate an existing question"),
                    at_key=True,
                )
            )
            continue
        values = [c.value for c in question.choices]
        for value in text.choices:
            if value not in values:
                findings.append(
                    Finding(
                        (*where, "choices", value),
                        f"question '{question_id}' has no choice '{value}' to translate",
                        suggest_name(
                            value, values, f"use a choice value: {', '.join(values) or 'none'}"
                        ),
                        at_key=True,
                    )
                )
    return findings


def check_translated_counts(
    questionnaire: Questionnaire, path: DataPath, translation: Translation
) -> list[Finding]:
    """Steps and bands are translated by position: never more than there are."""
    lists = [
        (("steps",), translation.steps, questionnaire.steps, "steps"),
        (
            ("diagnostic", "bands"),
            translation.diagnostic.bands,
            questionnaire.diagnostic.bands,
            "bands",
        ),
    ]
    dimensions = {d.id: d for d in questionnaire.diagnostic.dimensions}
    for name, text in translation.diagnostic.dimensions.items():
        if name in dimensions:
            lists.append(
                (
                    ("diagnostic", "dimensions", name, "bands"),
                    text.bands,
                    dimensions[name].bands,
                    f"bands of dimension '{name}'",
                )
            )
    return [
        Finding(
            (*path, *where, len(own)),
            f"the translation has {len(texts)} {what}, the questionnaire {len(own)}",
            f"translate the {what} in the questionnaire's order, one entry each",
        )
        for where, texts, own, what in lists
        if len(texts) > len(own)
    ]


def check_translated_names(
    questionnaire: Questionnaire, path: DataPath, translation: Translation
) -> list[Finding]:
    """Translated dimensions and contact fields exist in the questionnaire."""
    dimensions = [d.id for d in questionnaire.diagnostic.dimensions]
    fields = [f.name for f in questionnaire.contact.fields]
    findings = [
        Finding(
            (*path, "diagnostic", "dimensions", name),
            f"the translation names dimension '{name}', which does not exist",
            suggest_name(name, dimensions, f"use one of: {', '.join(dimensions)}"),
            at_key=True,
        )
        for name in translation.diagnostic.dimensions
        if name not in dimensions
    ]
    findings += [
        Finding(
            (*path, "contact", "fields", name),
            f"the translation names contact field '{name}', which the contact step does not ask",
            f"use one of: {', '.join(fields)}",
            at_key=True,
        )
        for name in translation.contact.fields
        if name not in fields
    ]
    return findings


def check_sql_reachable(questionnaire: Questionnaire) -> list[Finding]:
    """The best possible answers must make an SQL candidate (by total, or by the fast track
    of a strong signal with a good FIT), else no response can ever become SQL."""
    fit, intent, timing, strong = max_reachable(questionnaire)
    w, t = questionnaire.weights, questionnaire.thresholds
    total = (fit * w.fit + intent * w.intent + timing * w.timing) / 100
    # The fast track skips the SQL total, never the MQL one.
    if total >= t.sql or (strong and fit >= t.fast_track_fit and total >= t.mql):
        return []
    if total < t.mql:
        return [
            Finding(
                ("thresholds", "mql"),
                f"the MQL threshold {t.mql} cannot be reached: the best answers give a total "
                f"of {total:g} (FIT {fit:g}, INTENT {intent:g}, TIMING {timing:g} with weights "
                f"{w.fit}/{w.intent}/{w.timing}), so no lead could become MQL or SQL",
                f"lower thresholds.mql to at most {int(total)}, or give more levels, signals "
                "or weight to what the questions can reach",
            )
        ]
    return [
        Finding(
            ("thresholds", "sql"),
            f"the SQL threshold {t.sql} cannot be reached: the best answers give a total of "
            f"{total:g} (FIT {fit:g}, INTENT {intent:g}, TIMING {timing:g} with weights "
            f"{w.fit}/{w.intent}/{w.timing})"
            + ("" if strong else " and no answer gives a strong INTENT signal for the fast track"),
            f"lower thresholds.sql to at most {int(total)}, or give more levels, signals or "
            "weight to what the questions can reach",
        )
    ]


def max_reachable(questionnaire: Questionnaire) -> tuple[float, float, float, bool]:
    """The best FIT, INTENT and TIMING the questionnaire's answers and hidden fields can give
    (an upper bound: every reachable signal counted once), and whether a strong INTENT
    signal is reachable."""
    criteria = questionnaire.fit_criteria
    best_share = dict.fromkeys(criteria, 0.0)
    sources = [(q.criterion, q.effects()) for q in questionnaire.questions()]
    sources += [(f.criterion, f.effects()) for f in questionnaire.hidden_fields.values() if f]
    intent_signals, timing_signals = set(), set()
    for criterion, effects in sources:
        for effect in effects:
            if criterion in best_share and effect.fit and effect.fit != "disqualify":
                best_share[criterion] = max(best_share[criterion], LEVEL_SHARE[effect.fit])
            intent_signals.update(effect.intent)
            timing_signals.update(effect.timing)
    weight = sum(c.weight for c in criteria.values())
    fit = 100 * sum(best_share[n] * c.weight for n, c in criteria.items()) / weight
    intents, timings = questionnaire.all_intent_signals(), questionnaire.all_timing_signals()
    intent = sum(
        questionnaire.strengths[intents[s].strength] for s in intent_signals if s in intents
    )
    timing = sum(timings[s].points for s in timing_signals if s in timings and not timings[s].veto)
    strong = any(intents[s].strength == "strong" for s in intent_signals if s in intents)
    return round(fit, 1), min(100.0, intent), min(100.0, float(timing)), strong
