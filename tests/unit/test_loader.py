"""The questionnaire loader: every mistake a marketer can make is named with its line and a hint.

Each test writes a small YAML file; ``line_of`` finds the line a mistake is on, so the
assertions say "the error points at the line with X".
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from qualify.core.loader import (
    MAX_BYTES,
    LoadError,
    QuestionnaireError,
    load_questionnaire,
    load_questionnaire_text,
)

BUNDLED = Path(__file__).resolve().parents[2] / "questionnaires" / "customer-data-maturity.yaml"

#: The smallest questionnaire that loads; tests change one line of it at a time.
TINY = textwrap.dedent("""\
    id: tiny
    version: 1
    title: "Tiny"
    fit_criteria:
      company_size: {label: "Company size", weight: 50}
      role: {label: "Role", weight: 50}
    routing: {sector: size, zone: role}
    steps:
      - title: "About you"
        questions:
          - id: size
            type: single
            label: "How many people work with you?"
            criterion: company_size
            choices:
              - {value: small, label: "1-49", fit: none, points: {data: 0}}
              - {value: large, label: "50+", fit: sql, points: {data: 2}}
          - id: role
            type: single
            label: "Your role?"
            criterion: role
            choices:
              - {value: boss, label: "Founder", fit: sql}
              - {value: staff, label: "Staff", fit: none}
          - id: demo
            type: yes_no
            label: "Talk to an expert?"
            required: false
            if_yes: {intent: [demo_request], timing: [active_project]}
    contact:
      fields:
        - {name: email, label: "Work email"}
      consent: "I agree."
    diagnostic:
      dimensions:
        - id: data
          label: "Data"
          bands:
            - {min: 0, max: 49, title: "Low", text: "Start."}
            - {min: 50, max: 100, title: "High", text: "Go."}
      bands:
        - {min: 0, max: 49, title: "Low", text: "Start here."}
        - {min: 50, max: 100, title: "High", text: "Keep going."}
    next_step:
      text: "Book a call."
""")


def tiny(old: str, new: str) -> str:
    """TINY with one piece of text replaced (which must be there)."""
    assert old in TINY, old
    return TINY.replace(old, new, 1)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``needle``."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return lines[occurrence - 1]


def load_errors(tmp_path: Path, text: str) -> list[LoadError]:
    path = tmp_path / "questionnaire.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    return caught.value.errors


def the_error(errors: list[LoadError], fragment: str) -> LoadError:
    """The one error whose message contains ``fragment``."""
    matching = [e for e in errors if fragment in e.message]
    assert len(matching) == 1, [str(e) for e in errors]
    return matching[0]


# -- files that load ----------------------------------------------------------------------


def test_the_bundled_questionnaire_loads():
    questionnaire = load_questionnaire(BUNDLED)
    assert questionnaire.id == "customer-data-maturity"
    assert len(questionnaire.questions()) == 10


def test_a_minimal_questionnaire_loads(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    questionnaire = load_questionnaire(path)
    assert [q.id for q in questionnaire.questions()] == ["size", "role", "demo"]
    assert questionnaire.question("demo").required is False  # true/false stay booleans


def test_quoted_yes_no_and_numbers_stay_text(tmp_path):
    text = tiny('{value: boss, label: "Founder"', '{value: "no", label: "0755"')
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    choice = load_questionnaire(path).question("role").choices[0]
    assert (choice.value, choice.label) == ("no", "0755")


# -- refused YAML ---------------------------------------------------------------------------


def test_a_yaml_syntax_error_names_line_column_and_a_hint(tmp_path):
    text = tiny('label: "Your role?"', "label: Role: what is it?")
    error = the_error(load_errors(tmp_path, text), "YAML syntax error")
    assert (error.line, error.column) == (line_of(text, "Role: what"), 20)
    assert error.hint == "put text that contains ': ' in quotes"


def test_a_tab_in_the_indentation_is_a_syntax_error_with_a_hint(tmp_path):
    text = tiny("  - title:", "\t- title:")
    error = the_error(load_errors(tmp_path, text), "YAML syntax error")
    assert error.line == line_of(text, "\t- title:")
    assert "tabs" in error.hint


@pytest.mark.parametrize(
    ("label", "column", "hint"),
    [
        ("@Role", 16, 'put text that starts with @, `, % or another sign in quotes: "@text"'),
        ("*Your* role", 21, 'put text that starts with * in quotes ("*text*"): YAML reads * as an alias'),
        ('"Your "main" role"', 23, "a quote ends the text early or was left open"),
    ],
    ids=["@", "*", "quote in quotes"],
)  # fmt: skip
def test_a_syntax_error_in_unquoted_or_badly_quoted_text_says_how_to_quote_it(
    tmp_path, label, column, hint
):
    text = tiny('label: "Your role?"', f"label: {label}")
    error = the_error(load_errors(tmp_path, text), "YAML syntax error")
    assert (error.line, error.column) == (line_of(text, f"label: {label}"), column)
    assert error.hint.startswith(hint)


def test_a_quote_left_open_is_pointed_at_with_a_hint_about_quotes(tmp_path):
    text = tiny('label: "Your role?"', 'label: "Your role?')
    error = the_error(load_errors(tmp_path, text), "YAML syntax error")
    assert error.line >= line_of(text, 'label: "Your role?')
    assert "check the quotes on this line and the ones above" in error.hint


def test_a_duplicate_key_names_both_lines(tmp_path):
    text = tiny('title: "Tiny"\n', 'title: "Tiny"\ntitle: "Tiny again"\n')
    error = the_error(load_errors(tmp_path, text), "duplicate key 'title'")
    assert error.line == line_of(text, "Tiny again")
    assert f"first on line {line_of(text, 'title:')}" in error.message
    assert "keep one 'title:'" in error.hint


def test_an_anchor_is_refused(tmp_path):
    text = tiny("consent: ", "consent: &agreement ")
    error = the_error(load_errors(tmp_path, text), "anchor '&agreement' refused")
    assert error.line == line_of(text, "&agreement")
    assert error.hint == "remove '&agreement'"


def test_an_alias_is_refused_and_never_expanded(tmp_path):
    text = tiny('text: "Book a call."', "text: *agreement").replace(
        "consent: ", "consent: &agreement ", 1
    )
    error = the_error(load_errors(tmp_path, text), "alias '*agreement' refused")
    assert error.line == line_of(text, "*agreement")
    assert error.hint == "write the value out in full where it is needed"


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!custom", "!!str"])
def test_an_explicit_tag_is_refused(tmp_path, tag):
    text = tiny('consent: "I agree."', f'consent: {tag} "I agree."')
    error = the_error(load_errors(tmp_path, text), "refused: a questionnaire holds plain data")
    assert error.line == line_of(text, "consent:")
    assert error.hint.startswith(f"remove '{tag.split()[0]}'")


@pytest.mark.parametrize("word", ["no", "No", "YES", "on", "off", "y", "N"])
def test_an_unquoted_yes_no_on_off_is_refused(tmp_path, word):
    text = tiny('label: "Staff"', f"label: {word}")
    error = the_error(load_errors(tmp_path, text), f"unquoted {word} is read as the boolean")
    assert error.line == line_of(text, f"label: {word}")
    assert error.hint == f'write "{word}" in quotes for text, or true/false for a boolean'


def test_an_unquoted_yes_no_key_is_refused_too(tmp_path):
    text = tiny("  role: {", "  no: {")
    error = the_error(load_errors(tmp_path, text), "unquoted no")
    assert error.line == line_of(text, "no: {")


def test_an_octal_looking_number_is_refused(tmp_path):
    text = tiny("{value: small,", "{value: 0755,")
    error = the_error(load_errors(tmp_path, text), "unquoted 0755 has a leading zero")
    assert error.line == line_of(text, "0755")
    assert error.hint == 'write "0755" in quotes for text (a code), or 755 for a number'


def test_a_sexagesimal_looking_number_is_refused(tmp_path):
    text = tiny('label: "1-49"', "label: 1:10")
    error = the_error(load_errors(tmp_path, text), "unquoted 1:10 is read as a base-60 number")
    assert error.line == line_of(text, "1:10")
    assert error.hint == 'write "1:10" in quotes'


@pytest.mark.parametrize(
    ("written", "number"), [("3_6", "36"), ("1_000_000", "1000000"), ("0x1F", "31"), ("0b101", "5")]
)
def test_a_number_yaml_11_reads_from_underscores_hex_or_binary_is_refused(tmp_path, written, number):
    text = tiny('{value: small, label: "1-49"', f'{{value: small, label: "1-49", reason: {written}')
    error = the_error(load_errors(tmp_path, text), f"unquoted {written} is read as the number")
    assert f"the number {number} by YAML 1.1" in error.message
    offset = text.index(written)
    assert (error.line, error.column) == (
        line_of(text, written),
        offset - text.rindex("\n", 0, offset),
    )
    assert error.hint == f'write "{written}" in quotes for text, or {number} for a number'


def test_a_word_with_underscores_and_digits_stays_text(tmp_path):
    text = tiny('{value: small, label: "1-49"', '{value: 3_6_mois, label: "1-49"')
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_questionnaire(path).question("size").choices[0].value == "3_6_mois"


def test_a_file_over_256_kib_is_refused_before_parsing(tmp_path):
    text = TINY + "# padding\n" * (MAX_BYTES // 10)
    [error] = load_errors(tmp_path, text)
    assert "larger than 256 KiB" in error.message
    assert "split it" in error.hint


def test_a_second_yaml_document_is_refused(tmp_path):
    text = TINY + "---\nid: other\n"
    error = the_error(load_errors(tmp_path, text), "one YAML document")
    assert error.line == line_of(text, "---")
    assert "remove this '---' line" in error.hint


def test_an_empty_file_is_reported(tmp_path):
    [error] = load_errors(tmp_path, "# nothing yet\n")
    assert error.message == "the file is empty"


# -- the model's rules, located -------------------------------------------------------------


def test_an_unknown_key_suggests_the_nearest_valid_name(tmp_path):
    text = tiny('label: "Your role?"', 'labl: "Your role?"')
    error = the_error(load_errors(tmp_path, text), "unknown key 'labl'")
    assert (error.line, error.column) == (line_of(text, "labl:"), 9)
    assert error.hint == "did you mean 'label'?"


def test_an_unknown_key_with_no_near_name_lists_the_valid_ones(tmp_path):
    text = tiny(
        '  role: {label: "Role", weight: 50}', '  role: {label: "Role", weight: 50, xyz: 1}'
    )
    error = the_error(load_errors(tmp_path, text), "unknown key 'xyz' in fit_criteria.role")
    assert error.line == line_of(text, "xyz")
    assert error.hint == "valid keys here: label, weight"


def test_a_wrong_type_says_what_was_found_and_what_is_allowed(tmp_path):
    text = tiny('title: "Tiny"', "title: 42")
    error = the_error(load_errors(tmp_path, text), "title: expected text, found the number 42")
    assert error.line == line_of(text, "title: 42")
    assert error.hint == 'put it in quotes: "42"'


def test_a_number_field_given_text_says_so(tmp_path):
    text = tiny("version: 1", "version: one")
    error = the_error(load_errors(tmp_path, text), "version: expected a whole number")
    assert "found the text 'one'" in error.message
    assert error.line == 2
    assert error.hint == "write a number without quotes, e.g. 10"


def test_a_bad_value_lists_the_allowed_ones_and_the_nearest(tmp_path):
    text = tiny("type: yes_no", "type: yesno")
    error = the_error(load_errors(tmp_path, text), "steps[0].questions[2].type")
    assert error.line == line_of(text, "type: yesno")
    assert "expected one of 'single', 'multiple', 'yes_no'" in error.message
    assert "did you mean 'yes_no'?" in error.hint


def test_a_missing_key_points_at_its_parent_mapping(tmp_path):
    text = tiny('  consent: "I agree."\n', "")
    error = the_error(load_errors(tmp_path, text), "missing required key 'consent'")
    assert error.line == line_of(text, "contact:")
    assert error.hint == "add 'consent:' to contact"


def test_a_bad_identifier_suggests_one_that_fits_the_pattern(tmp_path):
    text = tiny("criterion: role", "criterion: Contact Role")
    error = the_error(load_errors(tmp_path, text), "steps[0].questions[1].criterion")
    assert error.line == line_of(text, "Contact Role")
    assert error.hint.endswith("e.g. 'contact_role'")


def test_a_bad_mapping_key_points_at_the_key(tmp_path):
    text = tiny("  role: {label", "  Role: {label")
    error = the_error(load_errors(tmp_path, text), "fit_criteria.Role (a key)")
    assert (error.line, error.column) == (line_of(text, "Role: {"), 3)
    assert "e.g. 'role'" in error.hint


def test_a_broken_model_rule_gets_a_hint(tmp_path):
    text = tiny("version: 1\n", "version: 1\nweights: {fit: 50, intent: 30, timing: 30}\n")
    error = the_error(load_errors(tmp_path, text), "block weights must add up to 100")
    assert error.line == line_of(text, "weights:")
    assert error.hint == "change fit, intent and timing so that they add up to 100"


# -- references across the questionnaire -----------------------------------------------------


def test_question_ids_are_unique(tmp_path):
    text = tiny("- id: demo", "- id: size")
    error = the_error(load_errors(tmp_path, text), "question id 'size' is used twice")
    assert error.line == line_of(text, "- id: size", occurrence=2)
    assert f"(first on line {line_of(text, '- id: size')})" in error.message
    assert error.hint == "give each question its own id"


def test_dimension_ids_are_unique(tmp_path):
    dimension = '    - id: data\n      label: "Data"\n'
    text = tiny(dimension, dimension.replace("Data", "Data again") + "      bands:\n"
                '        - {min: 0, max: 100, title: "All", text: "All."}\n' + dimension)
    error = the_error(load_errors(tmp_path, text), "diagnostic dimension id 'data' is used twice")
    assert error.line == line_of(text, "- id: data", occurrence=2)
    assert f"(first on line {line_of(text, '- id: data')})" in error.message
    assert error.hint == "give each dimension its own id"


def test_a_contact_field_is_asked_once(tmp_path):
    email = '    - {name: email, label: "Work email"}\n'
    text = tiny(email, email + email.replace("Work email", "Email again"))
    error = the_error(load_errors(tmp_path, text), "contact field 'email' is asked twice")
    assert (error.line, error.column) == (line_of(text, "Email again"), 14)
    assert f"(first on line {line_of(text, 'Work email')})" in error.message
    assert error.hint == "ask each contact field once: remove this line"


def test_a_question_criterion_must_be_declared_in_fit_criteria(tmp_path):
    text = tiny("criterion: company_size", "criterion: company_sise")
    error = the_error(load_errors(tmp_path, text), "criterion 'company_sise' is not declared")
    assert error.line == line_of(text, "company_sise")
    assert error.hint.startswith("did you mean 'company_size'?")


def test_a_fit_level_needs_the_question_to_name_a_criterion(tmp_path):
    text = tiny("if_yes: {intent:", "if_yes: {fit: sql, intent:")
    error = the_error(load_errors(tmp_path, text), "question 'demo' gives fit: levels")
    assert error.line == line_of(text, "if_yes: {fit: sql")
    assert error.hint.startswith("add 'criterion: <name>' to the question")


def test_an_intent_signal_must_exist(tmp_path):
    text = tiny("intent: [demo_request]", "intent: [demo_requets]")
    error = the_error(load_errors(tmp_path, text), "unknown INTENT signal 'demo_requets'")
    assert error.line == line_of(text, "demo_requets")
    assert error.hint == ("did you mean 'demo_request'? Otherwise declare it under intent_signals:")


def test_a_timing_signal_must_exist(tmp_path):
    text = tiny("timing: [active_project]", "timing: [someday]")
    error = the_error(load_errors(tmp_path, text), "unknown TIMING signal 'someday'")
    assert error.line == line_of(text, "someday")
    assert error.hint == "declare it under timing_signals:"


def test_a_declared_signal_can_be_used(tmp_path):
    text = tiny("version: 1\n", "version: 1\ntiming_signals: {someday: {label: Someday}}\n")
    path = tmp_path / "tiny.yaml"
    path.write_text(text.replace("[active_project]", "[someday]"), encoding="utf-8")
    assert "someday" in load_questionnaire(path).all_timing_signals()


def test_points_must_go_to_a_declared_dimension(tmp_path):
    text = tiny("points: {data: 2}", "points: {date: 2}")
    error = the_error(load_errors(tmp_path, text), "dimension 'date'")
    assert error.line == line_of(text, "{date: 2}")
    assert error.hint.startswith("did you mean 'data'?")


def test_routing_must_name_an_existing_question(tmp_path):
    text = tiny("sector: size", "sector: sise")
    error = the_error(load_errors(tmp_path, text), "question 'sise', which does not exist")
    assert error.line == line_of(text, "routing:")
    assert error.hint.startswith("did you mean 'size'?")


def test_routing_must_name_a_single_choice_question(tmp_path):
    text = tiny("zone: role", "zone: demo")
    error = the_error(load_errors(tmp_path, text), "routing.zone names question 'demo', a yes_no")
    assert error.line == line_of(text, "routing:")
    assert error.hint == "name a single-choice question: size, role"


def test_every_declared_criterion_is_fed_by_a_question(tmp_path):
    text = tiny("  role: {label", "  budget: {label: Budget, weight: 10}\n  role: {label")
    error = the_error(load_errors(tmp_path, text), "FIT criterion 'budget' is fed by no question")
    assert "FIT completeness could never reach 100%" in error.message
    assert error.line == line_of(text, "budget:")
    assert error.hint == "add 'criterion: budget' to a question, or remove it from fit_criteria"


def test_bands_must_not_leave_a_gap(tmp_path):
    text = tiny(
        '{min: 50, max: 100, title: "High", text: "Keep',
        '{min: 60, max: 100, title: "High", text: "Keep',
    )
    error = the_error(load_errors(tmp_path, text), "bands leave a gap: scores 50–59")
    assert error.line == line_of(text, "{min: 60")
    assert error.hint == "start this band at 50, or add a band for the gap"


def test_bands_must_not_overlap(tmp_path):
    text = tiny(
        '{min: 50, max: 100, title: "High", text: "Go."}',
        '{min: 40, max: 100, title: "High", text: "Go."}',
    )
    error = the_error(load_errors(tmp_path, text), "bands overlap: scores 40–49 are in two")
    assert error.line == line_of(text, "{min: 40")
    assert error.hint == "start this band at 50"


def test_bands_must_reach_100(tmp_path):
    text = tiny(
        '{min: 50, max: 100, title: "High", text: "Keep',
        '{min: 50, max: 90, title: "High", text: "Keep',
    )
    error = the_error(load_errors(tmp_path, text), "scores 91–100 have no band")
    assert error.line == line_of(text, "max: 90")
    assert error.hint == "end the last band at 100"


# -- all mistakes in one run ----------------------------------------------------------------


def test_every_mistake_of_a_file_is_reported_in_one_run(tmp_path):
    text = (
        tiny('title: "Tiny"\n', 'title: "Tiny"\ntitle: "Again"\n')
        .replace('label: "Staff"', "label: no")
        .replace('label: "Your role?"', 'labl: "Your role?"')
    )
    errors = load_errors(tmp_path, text)
    assert [(e.line, e.message.split(" ")[0]) for e in errors] == [
        (line_of(text, "Again"), "duplicate"),
        (line_of(text, "labl:"), "unknown"),
        (line_of(text, "label: no"), "unquoted"),
    ]


def test_every_reference_mistake_is_reported_in_one_run(tmp_path):
    text = (
        tiny("criterion: company_size", "criterion: company_sise")
        .replace("intent: [demo_request]", "intent: [demo_requets]")
        .replace("zone: role", "zone: demo")
    )
    messages = [e.message for e in load_errors(tmp_path, text)]
    assert len(messages) == 4, messages
    assert any("'company_sise' is not declared" in m for m in messages)
    assert any("'company_size' is fed by no question" in m for m in messages)
    assert any("demo_requets" in m for m in messages)
    assert any("routing.zone" in m for m in messages)



def test_model_and_reference_mistakes_are_reported_in_one_run(tmp_path):
    """A misspelt key no longer hides the reference checks: they run on the rest."""
    show_if = '        show_if: {question: demo, equals: "yes"}\n'
    text = (
        tiny('label: "Your role?"', 'labl: "Your role?"')
        .replace("intent: [demo_request]", "intent: [demo_requets]")
        .replace("criterion: company_size\n", "criterion: company_size\n" + show_if, 1)
        .replace('"Founder", fit: sql}', '"Founder", fit: sql, intent: [webinr]}')
    )
    errors = load_errors(tmp_path, text)
    assert [(e.line, e.message.split(" ")[0]) for e in errors] == [
        (line_of(text, "show_if: {question: demo"), "show_if"),
        (line_of(text, "labl:"), "unknown"),
        (line_of(text, "webinr"), "unknown"),  # inside the question with the misspelt key
        (line_of(text, "demo_requets"), "unknown"),
    ]
    assert the_error(errors, "which comes later").hint.startswith("a condition can only read")
    assert the_error(errors, "demo_requets").hint.startswith("did you mean 'demo_request'?")


def test_a_refused_question_is_not_also_reported_as_missing(tmp_path):
    # The role question is refused (bad type) and routing.zone names it: also saying
    # "question 'role' does not exist" would send the author after the wrong mistake.
    role_type = 'type: single\n        label: "Your role?"'
    text = tiny(role_type, role_type.replace("single", "singel"))
    text = text.replace("[active_project]", "[someday]")
    errors = load_errors(tmp_path, text)
    assert [e.message.split(":")[0] for e in errors] == [
        "steps[0].questions[1].type",
        "unknown TIMING signal 'someday'",
    ]
    assert errors[0].hint.startswith("write one of 'single'")
    assert errors[1].line == line_of(text, "someday")


def test_a_refused_name_is_not_also_reported_as_undeclared(tmp_path):
    text = tiny("  role: {label", "  Role: {label").replace("[demo_request]", "[demo_requets]")
    errors = load_errors(tmp_path, text)
    assert [e.line for e in errors] == [line_of(text, "Role: {"), line_of(text, "demo_requets")]
    assert errors[0].message == "fit_criteria.Role (a key): the text 'Role' is not a valid name here"
    assert errors[0].hint.endswith("e.g. 'role'")


@pytest.mark.parametrize(
    ("old", "new", "fragment", "at"),
    [
        ('label: "Staff"', "label: off", "unquoted off", "off"),
        ("{value: small,", "{value: 0755,", "leading zero", "0755"),
        ('label: "1-49"', "label: 1:10", "base-60", "1:10"),
        ('title: "Tiny"\n', 'title: "Tiny"\ntitle: "Again"\n', "duplicate key", 'title: "Again"'),
        ("consent: ", "consent: &a ", "anchor '&a'", "&a"),
        ('consent: "I agree."', 'consent: !!str "I agree."', "tag '!!str'", "!!str"),
        ('label: "Your role?"', 'labl: "Your role?"', "unknown key 'labl'", "labl"),
        ('title: "Tiny"', "title: [Tiny]", "expected text", "[Tiny]"),
        ("- id: demo", "- id: size", "used twice", "size\n        type: yes_no"),
        ("[demo_request]", "[demo_requets]", "demo_requets", "demo_requets"),
        ("{data: 2}", "{date: 2}", "dimension 'date'", "date: 2"),
    ],
    ids=[
        "boolean word", "octal", "base 60", "duplicate key", "anchor", "tag", "unknown key",
        "wrong type", "duplicate id", "unknown signal", "unknown dimension",
    ],
)  # fmt: skip
def test_a_mistake_points_at_the_line_and_column_where_it_is_written(
    tmp_path, old, new, fragment, at
):
    text = tiny(old, new)
    error = the_error(load_errors(tmp_path, text), fragment)
    offset = text.index(at)
    line_start = text.rindex("\n", 0, offset) + 1
    assert (error.line, error.column) == (text.count("\n", 0, offset) + 1, offset - line_start + 1)
    assert error.hint


FRENCH = BUNDLED.parent / "paie-rh-pme.yaml"


def test_any_line_removed_or_retyped_gives_located_mistakes_never_a_crash():
    """A marketer's edit can break any line: the loader answers with mistakes (each with a
    message and a line) or a questionnaire, never an exception of its own."""
    lines = FRENCH.read_text(encoding="utf-8").splitlines(keepends=True)
    variants = [lines[:i] + lines[i + 1 :] for i in range(0, len(lines), 2)]
    variants += [
        [*lines[:i], line.split(":", 1)[0] + ": [x]\n", *lines[i + 1 :]]
        for i, line in enumerate(lines)
        if i % 5 == 0 and ":" in line and not line.lstrip().startswith("#")
    ]
    refused = 0
    for variant in variants:
        try:
            load_questionnaire_text("".join(variant), "edited.yaml")
        except QuestionnaireError as exc:
            refused += 1
            assert all(e.message and e.line and e.line >= 1 for e in exc.errors)
    assert refused > len(variants) // 2
