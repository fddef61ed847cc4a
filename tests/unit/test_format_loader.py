"""Loader errors for the full format: each names the line and says what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_format_example import example, load_errors, load_text

from qualify.core.loader import LoadError


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``needle``."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if needle in line][
        occurrence - 1
    ]


def the_error(errors: list[LoadError], fragment: str) -> LoadError:
    matching = [e for e in errors if fragment in e.message]
    assert len(matching) == 1, [str(e) for e in errors]
    return matching[0]


# -- show_if -------------------------------------------------------------------------------


def test_show_if_on_an_unknown_question_is_refused(tmp_path):
    text = example("show_if: {question: project, in:", "show_if: {question: projet, in:")
    error = the_error(load_errors(tmp_path, text), "reads question 'projet', which does not")
    assert error.line == line_of(text, "question: projet")
    assert error.hint.startswith("did you mean 'project'? Otherwise name an earlier question")


def test_show_if_on_a_later_question_is_refused(tmp_path):
    text = example("show_if: {question: project, in:", "show_if: {question: demo, in:")
    text = text.replace("[active, exploring]}", '["yes"]}', 1)
    error = the_error(load_errors(tmp_path, text), "reads question 'demo', which comes later")
    assert error.line == line_of(text, "question: demo")
    assert error.hint.startswith("a condition can only read answers given before: move 'demo'")


def test_show_if_on_the_question_itself_is_refused(tmp_path):
    text = example("show_if: {question: project, equals:", "show_if: {question: details, equals:")
    error = the_error(load_errors(tmp_path, text), "which comes at the same place")
    assert error.line == line_of(text, "question: details")


def test_show_if_with_a_value_the_question_cannot_give_is_refused(tmp_path):
    text = example("in: [active, exploring]", "in: [active, explore]")
    error = the_error(load_errors(tmp_path, text), "compares 'project' with 'explore'")
    assert error.line == line_of(text, "explore]")
    assert error.hint.startswith("did you mean 'exploring'?")


def test_show_if_on_a_scale_names_a_point_of_the_scale(tmp_path):
    text = example(
        "show_if: {question: project, equals: active}", "show_if: {question: maturity, in: [4, 6]}"
    )
    error = the_error(load_errors(tmp_path, text), "compares 'maturity' with '6'")
    assert error.line == line_of(text, "question: maturity, in: [4, 6]")
    assert error.hint == "write one of: 1, 2, 3, 4, 5"
    assert load_text(tmp_path, text.replace("[4, 6]", "[4, 5]")).question("details").show_if


def test_show_if_on_a_country_names_a_country_code_or_a_zone(tmp_path):
    text = example(
        "show_if: {question: project, equals: active}",
        "show_if: {question: country, in: [europe, DE, UK, eurpe]}",
    )
    errors = load_errors(tmp_path, text)
    assert [e.message for e in errors] == [
        "show_if compares 'country' with 'UK', which is not one of its answers",
        "show_if compares 'country' with 'eurpe', which is not one of its answers",
    ]
    assert errors[0].hint == "write a two-letter ISO code (FR, DE...) or a zone: france, europe"
    assert errors[1].hint.startswith("did you mean 'europe'?")
    assert errors[0].line == line_of(text, "question: country, in:")


def test_show_if_equals_given_a_list_is_one_error_saying_to_write_in(tmp_path):
    text = example("{question: project, equals: active}", "{question: project, equals: [active]}")
    [error] = load_errors(tmp_path, text)
    assert error.message == (
        "steps[1].questions[3].show_if.equals: expected text, a number or true/false, found a list"
    )
    assert error.line == line_of(text, "equals: [active]")
    assert error.hint == "to compare with several values, write in: [a, b] instead of equals:"


def test_a_show_if_mixing_shapes_is_refused_with_a_hint(tmp_path):
    text = example(
        "{question: project, equals: active}", "{question: project, equals: active, in: [none]}"
    )
    error = the_error(load_errors(tmp_path, text), "a show_if condition is either")
    assert error.line == line_of(text, "in: [none]}")
    assert "{question: <earlier id>, in: [a, b]}" in error.hint


# -- number and scale ranges ---------------------------------------------------------------


def test_overlapping_ranges_are_refused(tmp_path):
    text = example("- {min: 3, max: 4, fit: mql", "- {min: 2, max: 4, fit: mql")
    error = the_error(load_errors(tmp_path, text), "ranges overlap: 2–4 and 1–2 share numbers")
    assert "the first one listed would always win" in error.message
    assert error.line == line_of(text, "{min: 2, max: 4")
    assert error.hint.startswith("make each range start after the one before ends")


def test_a_range_ending_before_it_starts_is_refused(tmp_path):
    text = example("- {min: 5, max: 5, fit: sql", "- {min: 5, max: 4.5, fit: sql")
    error = the_error(load_errors(tmp_path, text), "range 5–4.5 ends before it starts")
    assert error.line == line_of(text, "{min: 5, max: 4.5")
    assert error.hint == "swap min and max"


def test_a_last_range_without_bounds_is_a_catch_all(tmp_path):
    text = example("- {min: 5, max: 5, fit: sql", "- {fit: sql")
    assert load_text(tmp_path, text).question("maturity").ranges[-1].min is None


# -- countries ------------------------------------------------------------------------------


def test_a_zone_with_an_unknown_country_code_is_refused(tmp_path):
    text = example("[DE, ES, IT, BE]", "[DE, ES, UK, BE]")
    error = the_error(load_errors(tmp_path, text), "'UK' in zone 'europe' is not an ISO 3166-1")
    assert error.line == line_of(text, "UK, BE")
    assert error.hint == "write the two-letter ISO code, e.g. FR, DE, GB (not UK), US"


def test_a_country_in_two_zones_is_refused(tmp_path):
    text = example("[DE, ES, IT, BE]", "[DE, ES, IT, FR]")
    error = the_error(
        load_errors(tmp_path, text), "country FR is in zone 'france' and zone 'europe'"
    )
    assert error.line == line_of(text, "IT, FR]")
    assert error.hint == "put each country in one zone only"


def test_a_lowercase_country_code_says_how_to_write_it(tmp_path):
    text = example("{countries: [FR]", "{countries: [fr]")
    errors = load_errors(tmp_path, text)
    assert errors[0].line == line_of(text, "[fr]")
    assert "countries[0]" in errors[0].message


def test_routing_may_name_a_country_question(tmp_path):
    assert load_text(tmp_path, example()).routing.zone == "country"


def test_routing_refuses_a_scale_question(tmp_path):
    text = example("zone: country}", "zone: maturity}")
    error = the_error(load_errors(tmp_path, text), "routing.zone names question 'maturity'")
    assert error.line == line_of(text, "routing:")
    assert error.hint.startswith("name a single-choice question: company_size, industry, country")


# -- the SQL threshold ------------------------------------------------------------------------


def test_an_sql_threshold_no_answers_can_reach_is_refused(tmp_path):
    # Without the demo request there is no strong signal, so no fast track either:
    # the best total is FIT 100 × 50% + INTENT 20 × 30% + TIMING 50 × 20% = 66.
    text = example("if_yes: {intent: [demo_request]}", "if_yes: {intent: [email_open]}")
    error = the_error(load_errors(tmp_path, text), "the SQL threshold 70 cannot be reached")
    assert "a total of 66 (FIT 100, INTENT 20, TIMING 50" in error.message
    assert error.line == line_of(text, "thresholds:")
    assert error.hint.startswith("lower thresholds.sql to at most 66")


def test_an_mql_threshold_no_answers_can_reach_is_refused_even_with_a_fast_track(tmp_path):
    # Best total: FIT 100 × 50% + INTENT 70 × 30% + TIMING 50 × 20% = 81. A demo request
    # would fast-track past the SQL total, but never past the MQL one.
    text = example("{mql: 40, sql: 70,", "{mql: 85, sql: 90,")
    error = the_error(load_errors(tmp_path, text), "the MQL threshold 85 cannot be reached")
    assert "a total of 81 (FIT 100, INTENT 70, TIMING 50" in error.message
    assert "no lead could become MQL or SQL" in error.message
    assert (error.line, error.column) == (line_of(text, "thresholds:"), 19)
    assert error.hint.startswith("lower thresholds.mql to at most 81")


def test_an_sql_threshold_reached_by_the_fast_track_only_is_accepted(tmp_path):
    text = example("{mql: 40, sql: 70,", "{mql: 40, sql: 95,")
    assert load_text(tmp_path, text).thresholds.sql == 95


# -- hidden fields -----------------------------------------------------------------------------


def test_a_hidden_field_feeding_an_unknown_criterion_is_refused(tmp_path):
    text = example("criterion: industry\n    values:", "criterion: sector\n    values:")
    error = the_error(load_errors(tmp_path, text), "criterion 'sector' is not declared")
    assert error.line == line_of(text, "criterion: sector")
    assert error.hint == "declare it under fit_criteria:"


def test_a_misspelt_utm_hidden_field_is_refused(tmp_path):
    text = example("  utm_campaign:\n    values:", "  utm_campain:\n    values:")
    error = the_error(load_errors(tmp_path, text), "hidden field 'utm_campain' is not one")
    assert (error.line, error.column) == (line_of(text, "utm_campain:"), 3)
    assert error.hint == "did you mean 'utm_campaign'?"


@pytest.mark.parametrize("name", ["utm_id", "utm_source_platform", "pages", "campaign"])
def test_a_custom_hidden_field_name_is_accepted(tmp_path, name):
    text = example("  utm_source:\n", f"  utm_source:\n  {name}:\n")
    assert name in load_text(tmp_path, text).hidden_fields


def test_a_hidden_field_giving_diagnostic_points_is_refused(tmp_path):
    text = example("enterprise-2026: {intent: [page_view]}", "enterprise-2026: {points: {data: 1}}")
    error = the_error(load_errors(tmp_path, text), "a hidden field cannot give diagnostic points")
    assert error.line == line_of(text, "points: {data: 1}")
    assert error.hint.startswith("remove points: here")


def test_a_hidden_field_signal_must_exist(tmp_path):
    text = example("{intent: [page_view]}", "{intent: [page_veiw]}")
    error = the_error(load_errors(tmp_path, text), "unknown INTENT signal 'page_veiw'")
    assert error.line == line_of(text, "page_veiw")
    assert error.hint.startswith("did you mean 'page_view'?")


# -- checklist and review ----------------------------------------------------------------------


def test_a_checklist_override_naming_an_unknown_item_is_refused(tmp_path):
    text = example("data_second_channel: {disabled: true}", "data_second_chanel: {disabled: true}")
    error = the_error(
        load_errors(tmp_path, text), "checklist item 'data_second_chanel' does not exist"
    )
    assert (error.line, error.column) == (line_of(text, "data_second_chanel"), 3)
    assert error.hint.startswith("did you mean 'data_second_channel'?")


def test_a_checklist_override_naming_an_unknown_criterion_is_refused(tmp_path):
    text = example("criterion: geography, levels", "criterion: zone, levels")
    error = the_error(load_errors(tmp_path, text), "criterion 'zone' is not declared")
    assert error.line == line_of(text, "criterion: zone")


def test_a_review_rule_naming_an_unknown_criterion_is_refused(tmp_path):
    text = example("{criterion: company_size, value_in", "{criterion: size, value_in")
    error = the_error(load_errors(tmp_path, text), "review names criterion 'size'")
    assert error.line == line_of(text, "criterion: size")
    assert error.hint.startswith("use one of: company_size")


def test_a_review_rule_waiting_for_an_answer_no_question_gives_is_refused(tmp_path):
    text = example('{criterion: company_size, value_in: ["1000+"]}',
                   '{criterion: company_size, value_in: ["1000", "200-999"]}')  # fmt: skip
    error = the_error(load_errors(tmp_path, text), "review waits for '1000' in criterion")
    assert "the rule would never hold" in error.message
    assert error.line == line_of(text, 'value_in: ["1000"')
    assert error.hint.startswith("did you mean '1000+'? Otherwise write one of: 1-49, 200-999")


def test_a_review_rule_on_a_criterion_nothing_feeds_is_reported_once(tmp_path):
    text = example('  industry: {label: "Industry", weight: 10}\n',
                   '  industry: {label: "Industry", weight: 10}\n  budget: {label: "B", weight: 5}\n')
    text = text.replace('{criterion: company_size, value_in: ["1000+"]}',
                        '{criterion: budget, value_in: ["big"]}')  # fmt: skip
    [error] = load_errors(tmp_path, text)
    assert error.message.startswith("FIT criterion 'budget' is fed by no question")


def test_a_review_rule_on_a_criterion_a_hidden_field_feeds_takes_its_values(tmp_path):
    # industry is fed by a question (saas, retail, other) and by the partner field, whose
    # 'other:' takes any value: nothing can be refused there.
    text = example('{criterion: company_size, value_in: ["1000+"]}',
                   '{criterion: industry, value_in: ["anything"]}')  # fmt: skip
    assert load_text(tmp_path, text).review.when_any[0].value_in == ["anything"]


def test_a_review_rule_of_two_kinds_at_once_is_refused(tmp_path):
    text = example(
        "- {fit_completeness_below: 1.0}", "- {fit_completeness_below: 1.0, total_at_least: 90}"
    )
    error = the_error(load_errors(tmp_path, text), "a review condition needs exactly one of")
    assert error.line == line_of(text, "total_at_least")
    assert error.hint.startswith("write e.g. {criterion: company_size")


# -- translations, theme, origins --------------------------------------------------------------


def test_a_translation_into_the_questionnaires_own_language_is_refused(tmp_path):
    text = example("language: en", "language: fr")
    error = the_error(load_errors(tmp_path, text), "translations.fr is in the questionnaire's own")
    assert (error.line, error.column) == (line_of(text, "  fr:"), 3)
    assert error.hint.startswith("write the texts in the questionnaire itself")


def test_a_translation_naming_an_unknown_question_is_refused(tmp_path):
    text = example('maturity: {label: "Quelle', 'maturite: {label: "Quelle')
    error = the_error(load_errors(tmp_path, text), "names question 'maturite', which does not")
    assert error.line == line_of(text, "maturite:")
    assert error.hint.startswith("did you mean 'maturity'?")


def test_a_translation_naming_an_unknown_choice_is_refused(tmp_path):
    text = example('"1000+": "1 000 ou plus"', '"1000": "1 000 ou plus"')
    error = the_error(load_errors(tmp_path, text), "question 'company_size' has no choice '1000'")
    assert error.line == line_of(text, '"1000": "1 000')
    assert error.hint.startswith("did you mean '1000+'?")


def test_a_translation_with_more_steps_than_the_questionnaire_is_refused(tmp_path):
    text = example(
        'steps: [{title: "Votre entreprise"}]', 'steps: [{title: "A"}, {title: "B"}, {title: "C"}]'
    )
    error = the_error(
        load_errors(tmp_path, text), "the translation has 3 steps, the questionnaire 2"
    )
    assert error.line == line_of(text, '{title: "C"}')
    assert error.hint == "translate the steps in the questionnaire's order, one entry each"


def test_a_translation_naming_an_unknown_dimension_or_contact_field_is_refused(tmp_path):
    text = example("dimensions: {data: {label", "dimensions: {date: {label").replace(
        'fields: {email: "E-mail', 'fields: {company: "E-mail', 1
    )
    errors = load_errors(tmp_path, text)
    assert the_error(errors, "dimension 'date'").hint.startswith("did you mean 'data'?")
    field = the_error(errors, "contact field 'company'")
    assert field.line == line_of(text, 'company: "E-mail')
    assert field.hint == "use one of: email, phone"


def test_a_bad_theme_colour_says_how_to_write_one(tmp_path):
    text = example('primary_color: "#1a73e8"', "primary_color: blue")
    error = the_error(load_errors(tmp_path, text), "'blue' is not a hex colour")
    assert error.line == line_of(text, "primary_color: blue")
    assert error.hint == 'write a colour as "#1a73e8" (in quotes)'


def test_a_logo_url_is_refused(tmp_path):
    text = example('logo: "logos/acme.svg"', 'logo: "https://cdn.example/acme.svg"')
    error = the_error(load_errors(tmp_path, text), "is not a plain file name under static/")
    assert error.line == line_of(text, "logo:")
    assert "no URL" in error.hint


def test_an_allowed_origin_with_a_path_is_refused(tmp_path):
    text = example('"http://localhost:8000"]', '"https://example.com/embed"]')
    error = the_error(load_errors(tmp_path, text), "'https://example.com/embed' is not an origin")
    assert error.line == line_of(text, "allowed_origins:")
    assert "no path" in error.hint


def test_a_scale_out_of_the_offered_ones_is_refused(tmp_path):
    text = example("scale: {min: 1, max: 5,", "scale: {min: 2, max: 7,")
    error = the_error(load_errors(tmp_path, text), "a scale from 2 to 7 is not offered")
    assert error.line == line_of(text, "scale: {min: 2")
    assert error.hint == "write {min: 1, max: 5} or {min: 0, max: 10}"


def test_every_mistake_of_the_full_format_is_reported_in_one_run(tmp_path):
    text = (
        example("[DE, ES, IT, BE]", "[DE, ES, UK, BE]")
        .replace("data_second_channel:", "data_second_chanel:")
        .replace("in: [active, exploring]", "in: [active, explore]")
    )
    messages = [e.message for e in load_errors(tmp_path, text)]
    assert len(messages) == 3, messages


# -- texts the format fills in English --------------------------------------------------------

PAIE = Path(__file__).resolve().parents[2] / "questionnaires" / "paie-rh-pme.yaml"


@pytest.mark.parametrize(
    ("block", "title", "default"),
    [
        ("contact", '  title: "Où envoyer votre rapport ?"\n', "Where should we send your report?"),
        ("diagnostic", '  title: "Votre diagnostic paie et RH"\n', "Your diagnostic"),
        ("next_step", '  title: "Réserver 30 minutes avec un expert paie"\n', "Talk to an expert"),
    ],
)  # fmt: skip
def test_a_french_questionnaire_must_write_the_texts_the_format_fills_in_english(
    tmp_path, block, title, default
):
    source = PAIE.read_text(encoding="utf-8")
    assert title in source
    text = source.replace(title, "", 1)
    error = the_error(load_errors(tmp_path, text), f"{block}.title is left out")
    assert f"would read the English default '{default}'" in error.message
    assert (error.line, error.column) == (line_of(text, f"{block}:"), 1)
    assert error.hint == f"add 'title:' to {block}, in fr"


@pytest.mark.parametrize("key", ["primary_color", "accent_color"])
def test_a_theme_colour_without_quotes_is_not_silently_dropped(tmp_path, key):
    """'#' starts a YAML comment: primary_color: #1a73e8 reads as empty, and the theme had no
    colour with no word said. The loader says where, and to write the quotes."""
    text = example(
        'theme: {primary_color: "#1a73e8", accent_color: "#f0a", logo: "logos/acme.svg"}',
        f"theme:\n  {key}: #0f766e\n  logo: logos/acme.svg",
    )
    error = the_error(load_errors(tmp_path, text), f"{key} is empty")
    assert error.line == line_of(text, f"{key}: #0f766e")
    assert error.hint == f'write {key}: "#1a73e8" (in quotes), or remove the line'
