"""The question types added to version 1: dropdown, country with zones, scale, long text."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from test_format_example import EXAMPLE, HOT, load_text

from qualify.core.countries import COUNTRY_CODES, country_name, country_options
from qualify.core.questionnaire import Question
from qualify.core.scoring import (
    describe_answer,
    effects_of,
    routing_value,
    routing_values,
    score_answers,
)


@pytest.fixture
def full(tmp_path):
    """The full-format example, loaded."""
    return load_text(tmp_path, EXAMPLE)


def test_a_dropdown_maps_its_value_like_a_single_choice(full):
    [effect] = effects_of(full.question("company_size"), "200-999")
    assert effect.fit == "sql"
    assert describe_answer(full.question("company_size"), "1000+") == "1,000 or more"


@pytest.mark.parametrize(
    ("code", "level"), [("FR", "sql"), ("fr", "sql"), ("DE", "mql"), ("US", "none")]
)
def test_a_country_gets_its_zone_effect_or_the_other_one(full, code, level):
    [effect] = effects_of(full.question("country"), code)
    assert effect.fit == level


def test_a_country_in_no_zone_and_no_other_effect_feeds_nothing(full):
    question = full.question("country").model_copy(update={"other": None})
    assert effects_of(question, "US") == []


def test_the_routing_zone_of_a_country_question_is_the_zone_name(full):
    assert routing_value(full.question("country"), "ES") == "europe"
    assert routing_value(full.question("country"), "US") is None
    assert routing_value(full.question("industry"), "retail") == "retail"
    assert routing_value(full.question("industry"), "unknown") is None
    assert routing_values(full, HOT) == ("saas", "france")


def test_a_country_answer_reads_as_its_name(full):
    assert describe_answer(full.question("country"), "DE") == "Germany"
    assert country_name("DE", "fr") == "Allemagne"


def test_all_249_iso_countries_are_offered_sorted_by_name():
    assert len(COUNTRY_CODES) == 249
    options = country_options("fr")
    assert ("FR", "France") in options
    assert len(options) == 249


def names_around(options, name, before, after):
    names = [n for _, n in options]
    return names[names.index(name) - before : names.index(name) + after + 1]


def test_countries_are_alphabetised_as_a_reader_does_accents_aside():
    """A French prospect looks for "États-Unis" among the E: sorted by code point it came
    after "Zimbabwe", with Égypte, Équateur and every Île."""
    french = country_options("fr")
    assert names_around(french, "États-Unis", 2, 2) == [
        "Estonie", "Eswatini", "États-Unis", "Éthiopie", "Fidji"
    ]  # fmt: skip
    assert names_around(french, "Égypte", 1, 1) == ["Dominique", "Égypte", "Émirats arabes unis"]
    assert french[-1][1] == "Zimbabwe"
    english = country_options("en")
    assert names_around(english, "Åland Islands", 1, 1) == [
        "Afghanistan", "Åland Islands", "Albania"
    ]  # fmt: skip


@pytest.mark.parametrize(("value", "level"), [(1, "none"), ("4", "mql"), (5.0, "sql")])
def test_a_scale_point_maps_through_its_ranges(full, value, level):
    [effect] = effects_of(full.question("maturity"), value)
    assert effect.fit == level
    assert describe_answer(full.question("maturity"), value) == f"{int(value)} / 5"


def test_a_scale_choice_wins_over_its_range():
    question = Question.model_validate(
        {
            "id": "nps",
            "type": "scale",
            "label": "Would you recommend us?",
            "scale": {"min": 0, "max": 10},
            "choices": [{"value": "10", "label": "Absolutely", "intent": ["webinar"]}],
            "ranges": [{"min": 0, "max": 10, "intent": ["page_view"]}],
        }
    )
    assert effects_of(question, 10)[0].intent == ["webinar"]
    assert effects_of(question, 7)[0].intent == ["page_view"]


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ({"type": "scale", "scale": {"min": 2, "max": 7}}, "a scale from 2 to 7 is not offered"),
        ({"type": "scale", "choices": [{"value": "6", "label": "Six"}]}, "not on the scale 1–5"),
        ({"type": "text", "zones": {"fr": {"countries": ["FR"]}}}, "zones / other are for"),
        ({"type": "number", "scale": {}}, "scale: is for scale questions"),
        ({"type": "dropdown", "choices": [{"value": "a", "label": "A"}]}, "at least two"),
    ],
)
def test_a_question_of_the_wrong_shape_is_refused(shape, message):
    with pytest.raises(ValidationError, match=message):
        Question.model_validate({"id": "q", "label": "Q?", **shape})


def test_a_long_text_answer_feeds_nothing_but_reads_back(full):
    question = full.question("details")
    assert effects_of(question, "A long story") == []
    assert describe_answer(question, "A long story") == "A long story"


def test_the_best_answers_make_the_example_a_full_fit(full):
    score = score_answers(full, HOT)
    assert score.fit == 100
    assert score.fit_levels["geography"] == "sql"
    assert score.fit_values["geography"] == ("FR", "france")
