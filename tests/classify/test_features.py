"""Classifier features: one word list for every shape of text, stable hashed buckets, word groups."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warmonitor.classify.features import BUCKETS, FeatureLexicon, conjunctions, features, hashed, words
from warmonitor.classify.train import default_lexicon
from warmonitor.stages.text import to_research_shape

# Written for these tests: apostrophes, a negation, numbers, a year and quotation marks.
CASED = ("The Governor's guards didn't stop 37 marchers, detained in 2021, from reaching "
         "the \"Freedom\" square near Lake Tana's shore.")
# The same sentence as lowercased prose scraped through a wrong encoding.
MOJIBAKE = ("the governorâ€™s guards didnâ€™t stop 37 marchers, detained in 2021, from reaching "
            "the â€œfreedomâ€\x9d square near lake tanaâ€™s shore.")
EXPECTED = ["the", "governor", "guards", "did", "not", "stop", "<num>", "marchers", "detained", "in", "<year>",
            "from", "reaching", "the", "freedom", "square", "near", "lake", "tana", "shore"]


@pytest.fixture(scope="module")
def lexicon() -> FeatureLexicon:
    return default_lexicon()


# --- words ---------------------------------------------------------------------------------------------


def test_words_of_cased_prose() -> None:
    assert words(CASED) == EXPECTED


def test_words_are_the_same_for_every_shape() -> None:
    tokenized = to_research_shape(CASED)[0]
    assert tokenized != CASED.lower()  # the research shape really is different text
    assert "governor s" in tokenized and "didn t" in tokenized
    assert words(tokenized) == words(CASED) == words(MOJIBAKE) == EXPECTED


@pytest.mark.parametrize("text", ["didn t", "didn't", "didn’t", "didnâ€™t", "DIDN'T"])
def test_dropped_apostrophe_of_a_negation(text: str) -> None:
    assert words(text) == ["did", "not"]


@pytest.mark.parametrize(("text", "expected"), [
    ("syria s army", ["syria", "army"]),
    ("they ll return", ["they", "return"]),
    ("we re leaving", ["we", "leaving"]),
])
def test_clitics_of_a_dropped_apostrophe_are_dropped(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("14 soldiers", ["<num>", "soldiers"]),
    ("1,250 homes", ["<num>", "homes"]),
    ("3.5 tonnes", ["<num>", "tonnes"]),
    ("in 1994", ["in", "<year>"]),
    ("in 2024", ["in", "<year>"]),
    ("in 1850", ["in", "<num>"]),  # outside 1900-2099
    ("in 2150", ["in", "<num>"]),
    ("the 20 of 2003", ["the", "<num>", "of", "<year>"]),
])
def test_numbers_and_years(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_empty_and_punctuation_only_text() -> None:
    assert words("") == []
    assert words(" ,.;-- !? ") == []


# --- properties ----------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_words_never_raise_and_ignore_case(text: str) -> None:
    found = words(text)
    assert all(isinstance(word, str) and word for word in found)
    assert words(text.lower()) == found


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126)))
def test_ascii_words_ignore_case_either_way(text: str) -> None:
    assert words(text.upper()) == words(text.swapcase()) == words(text)


@settings(max_examples=150, deadline=None)
@given(text=st.text())
def test_features_never_raise_and_ignore_case(lexicon: FeatureLexicon, text: str) -> None:
    names = features(text, lexicon)
    assert names, "every text has at least one feature"
    assert features(text.lower(), lexicon) == names
    assert features(text.upper().lower(), lexicon) == features(text.upper(), lexicon)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=40))
def test_hashed_is_sorted_distinct_bounded_and_deterministic(names: list[str]) -> None:
    buckets = hashed(names)
    assert buckets == sorted(set(buckets))
    assert all(0 <= bucket < BUCKETS for bucket in buckets)
    assert len(buckets) <= len(set(names))
    assert hashed(reversed(names)) == buckets
    assert hashed(names + names) == buckets


def test_hashed_is_stable_across_runs() -> None:
    # CRC-32 of "w:shelled" masked to 21 bits: the same on every machine and every run.
    import zlib

    assert hashed(["w:shelled"]) == [zlib.crc32(b"w:shelled") & (BUCKETS - 1)]
    assert hashed([]) == []


def test_features_of_a_sentence(lexicon: FeatureLexicon) -> None:
    names = features("Rebels shelled the garrison", lexicon)
    assert {"w:rebels", "w:shelled", "b:rebels shelled", "b:the garrison", "c: she", "c:led "} <= set(names)
    assert any(name.startswith("r:verb:") for name in names), names
    assert features("", lexicon) == ["empty"]


# --- word groups -------------------------------------------------------------------------------------


def test_groups_in_finds_suicide(lexicon: FeatureLexicon) -> None:
    assert "suicide" in lexicon.groups_in("a suicide bomber blew himself up")
    assert "suicide" in lexicon.groups_in("A Suicide Bomber Blew Himself Up outside the ministry")


def test_groups_in_finds_grenade_in_lowercase_text(lexicon: FeatureLexicon) -> None:
    assert "grenade" in lexicon.groups_in("unknown men lobbed a hand grenade into the crowded market on friday")
    assert "grenade" not in lexicon.groups_in("farmers harvested the maize on friday")


def test_groups_in_reads_the_tokenized_shape(lexicon: FeatureLexicon) -> None:
    tokenized = to_research_shape("The attacker's vest exploded after he blew himself up.")[0]
    assert "suicide" in lexicon.groups_in(tokenized)


def test_lexicon_add_ignores_duplicates_and_long_phrases() -> None:
    lexicon = FeatureLexicon()
    lexicon.add("Hand Grenade", "group:grenade")
    lexicon.add("hand grenade", "group:grenade")
    lexicon.add("one two three four five", "group:long")
    assert lexicon.phrases == {("hand", "grenade"): ("group:grenade",)}
    assert lexicon.groups_in("a HAND GRENADE went off") == frozenset({"grenade"})


def test_conjunctions_say_who_is_named_first() -> None:
    found = ["actor:military", "group:territory", "actor:rebel", "verb:ASSAULT", "cue:negation"]
    out = conjunctions(found)
    assert "first_actor:military" in out and "pair:actor:military>actor:rebel" in out
    assert "x:actor:military+group:territory" in out and "x:actor:rebel+group:territory" not in out
    assert "x:cue:negation+verb:ASSAULT" in out and "x:cue:negation+group:territory" not in out
    assert conjunctions(["group:territory"]) == []


def test_a_hyphenated_name_raises_its_actor(lexicon: FeatureLexicon) -> None:
    # the dictionaries fold "al-Shabaab" to "al shabaab"; texts keep the hyphen
    assert "actor:rebel" in lexicon.reading("Al-Shabaab gunmen attacked a bus near Mandera.")[1]
    assert "actor:rebel" in lexicon.reading("al-shabaab attacked a bus near mandera .")[1]
