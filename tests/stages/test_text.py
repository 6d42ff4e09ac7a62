"""Text stage: shape detection, detokenization with offsets, sentence splitting, research shape."""

from __future__ import annotations

import itertools
import string

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from warmonitor.model import Span
from warmonitor.stages.text import dateline_length, detect_shape, detokenize, recase, segment, to_research_shape


def assert_letters_map_back(readable: str, offsets: list[int], original: str) -> None:
    """Every readable letter comes from the same letter (any case) in the original text."""
    assert len(offsets) == len(readable)
    for index, char in enumerate(readable):
        assert 0 <= offsets[index] < len(original)
        if char.isalpha():
            assert original[offsets[index]].lower() == char.lower(), (index, char, original[offsets[index]])


def assert_monotonic(offsets: list[int]) -> None:
    assert all(a <= b for a, b in itertools.pairwise(offsets))


# --- detect_shape -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("Syrian troops shelled rebel positions in Idlib on Monday.", "raw"),
        ("Rebels attacked the town.\nThe army said it repelled them.", "raw"),
        ("syrian troops shelled rebel positions in idlib , the army said .\nrebels fled .", "tokenized-lowercase"),
        ("rebels attacked the town .", "tokenized-lowercase"),
        ("", "raw"),
        ("12345 67890", "raw"),
    ],
)
def test_detect_shape(text: str, shape: str) -> None:
    assert detect_shape(text) == shape


# --- detokenize --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("tokenized", "readable"),
    [
        ("syria s army", "syria's army"),
        ("damascus ( reuters ) - the army", "damascus (reuters) - the army"),
        ("shi ite militias", "shi'ite militias"),
        ("they didn t say", "they didn't say"),
        ("the army said , without details .", "the army said, without details."),
        ('he said " we will fight " .', 'he said "we will fight".'),
        ("prices rose 5 % .", "prices rose 5%."),
        ("we re here", "we're here"),
    ],
)
def test_detokenize_text_and_offsets(tokenized: str, readable: str) -> None:
    text, offsets = detokenize(tokenized)
    assert text == readable
    assert_letters_map_back(text, offsets, tokenized)
    assert_monotonic(offsets)


def test_detokenize_inserted_apostrophe_points_at_the_clitic() -> None:
    tokenized = "syria s army"
    text, offsets = detokenize(tokenized)
    apostrophe = text.index("'")
    assert tokenized[offsets[apostrophe]] == "s"
    assert offsets[apostrophe] == tokenized.index(" s ") + 1


def test_detokenize_base_shifts_every_offset() -> None:
    line = "rebels didn t retreat ."
    _, plain = detokenize(line)
    _, shifted = detokenize(line, base=100)
    assert shifted == [offset + 100 for offset in plain]


def test_detokenize_empty_line() -> None:
    assert detokenize("   ") == ("", [])


_TOKEN = st.one_of(
    st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=8),
    st.sampled_from([",", ".", "(", ")", '"', "s", "t", "re", "%", "-", ":", "$", "shi", "ite"]),
)


@hyp_settings(max_examples=40, deadline=None)
@given(st.lists(_TOKEN, min_size=1, max_size=25))
def test_detokenize_letters_always_map_back(tokens: list[str]) -> None:
    line = " ".join(tokens)
    text, offsets = detokenize(line)
    assert_letters_map_back(text, offsets, line)
    assert_monotonic(offsets)
    # Nothing but spacing and inserted apostrophes is added.
    assert sorted(ch for ch in text if ch.isalnum()) == sorted(ch for ch in line if ch.isalnum())


# --- segment -----------------------------------------------------------------------------------------

def test_segment_raw_prose_keeps_abbreviations_inside_sentences() -> None:
    text = (
        "Mr. Haddad met U.S. envoys in Amman on Monday. Rebels attacked a checkpoint near the border. "
        "The army said it repelled them!"
    )
    shape, sentences = segment(text)
    assert shape == "raw"
    assert [s.text for s in sentences] == [
        "Mr. Haddad met U.S. envoys in Amman on Monday.",
        "Rebels attacked a checkpoint near the border.",
        "The army said it repelled them!",
    ]
    assert [s.index for s in sentences] == [0, 1, 2]
    for sentence in sentences:
        assert text[sentence.span.start : sentence.span.end] == sentence.text
        assert_letters_map_back(sentence.text, sentence.offsets, text)


def test_segment_raw_paragraphs_and_whitespace() -> None:
    text = "Rebels attacked the town.\n\nThe army   said\nit  repelled them."
    _, sentences = segment(text)
    assert [s.text for s in sentences] == ["Rebels attacked the town.", "The army said it repelled them."]
    second = sentences[1]
    assert text[second.span.start : second.span.end] == "The army   said\nit  repelled them."
    assert_letters_map_back(second.text, second.offsets, text)
    assert_monotonic(second.offsets)
    # Readable characters map onto original characters: spaces onto (collapsed) whitespace.
    for char, offset in zip(second.text, second.offsets, strict=True):
        assert text[offset] == char or (char == " " and text[offset].isspace())


def test_segment_original_span_maps_a_word_back() -> None:
    text = "Rebels attacked.\n\nThe army   said\nit  repelled them."
    _, sentences = segment(text)
    sentence = sentences[1]
    start = sentence.text.index("repelled")
    span = sentence.original_span(start, start + len("repelled"))
    assert text[span.start : span.end] == "repelled"


def test_segment_tokenized_text_one_sentence_a_line() -> None:
    text = "damascus ( reuters ) - syria s army said on tuesday .\nrebels didn t retreat from shi ite areas .\n"
    shape, sentences = segment(text)
    assert shape == "tokenized-lowercase"
    assert [s.text for s in sentences] == [
        "damascus (reuters) - syria's army said on tuesday.",
        "rebels didn't retreat from shi'ite areas.",
    ]
    assert sentences[0].is_dateline
    assert not sentences[1].is_dateline
    second_line = text.index("rebels")
    assert sentences[1].span == Span(second_line, len(text) - 1)
    for sentence in sentences:
        assert_letters_map_back(sentence.text, sentence.offsets, text)
        assert_monotonic(sentence.offsets)


def test_segment_skips_blank_lines_in_tokenized_text() -> None:
    _, sentences = segment("rebels fled .\n\n   \nthe army said .\n", shape="tokenized-lowercase")
    assert [s.text for s in sentences] == ["rebels fled.", "the army said."]


def test_segment_marks_a_raw_dateline() -> None:
    _, sentences = segment("KABUL (Reuters) - Gunmen attacked a checkpoint. Two police officers died.")
    assert sentences[0].is_dateline
    assert not sentences[1].is_dateline


# --- dateline_length ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("DAMASCUS (Reuters) - Syrian warplanes struck", "Syrian warplanes struck"),
        ("BEIRUT, Lebanon (AP) — Israeli jets struck", "Israeli jets struck"),
        ("damascus ( reuters ) - syrian warplanes struck", "syrian warplanes struck"),
    ],
)
def test_dateline_length(text: str, rest: str) -> None:
    length = dateline_length(text)
    assert text[length:] == rest


def test_dateline_length_double_hyphen() -> None:
    text = "NEW YORK (Reuters) -- Shares fell"
    assert text[dateline_length(text) :] == "Shares fell"


@pytest.mark.parametrize(
    "text",
    ["Syrian warplanes struck rebel positions on Monday.", "", "The army said (on Monday) it had won."],
)
def test_no_dateline(text: str) -> None:
    assert dateline_length(text) == 0


# --- to_research_shape ---------------------------------------------------------------------------------

_PROSE = (
    "DAMASCUS (Reuters) - Syria's army said on Tuesday it had broken the siege of a northern town. "
    "Mr. Haddad, a U.S.-trained officer, didn't comment.\n\n"
    "Shi'ite militias fought alongside the army, officials said."
)


def test_to_research_shape_is_lowercase_tokenized() -> None:
    shaped, offsets = to_research_shape(_PROSE)
    assert shaped == shaped.lower()
    assert "'" not in shaped
    assert "syria s army" in shaped
    assert "didn t comment" in shaped
    assert "shi ite militias" in shaped
    assert "( reuters )" in shaped
    assert shaped.count("\n") == 2  # three sentences, one a line
    assert detect_shape(shaped) == "tokenized-lowercase"
    assert len(offsets) == len(shaped)
    for char, offset in zip(shaped, offsets, strict=True):
        if offset == -1:
            assert char in " \n"
        else:
            assert _PROSE[offset].lower() == char


def test_to_research_shape_round_trip_through_segment() -> None:
    """Letters of the readable sentences map, through both offset tables, to the cased original."""
    shaped, research_offsets = to_research_shape(_PROSE)
    shape, sentences = segment(shaped)
    assert shape == "tokenized-lowercase"
    assert len(sentences) == 3
    assert sentences[0].is_dateline
    assert sentences[0].text.startswith("damascus (reuters) - syria's army said")
    for sentence in sentences:
        assert_letters_map_back(sentence.text, sentence.offsets, shaped)
        for char, offset in zip(sentence.text, sentence.offsets, strict=True):
            if char.isalpha():
                original = research_offsets[offset]
                assert original >= 0
                assert _PROSE[original].lower() == char


def test_to_research_shape_offsets_survive_dotted_capital_i() -> None:
    text = "Clashes erupted in İzmir on Monday. Police said."
    shaped, offsets = to_research_shape(text)
    assert len(shaped) == len(offsets)


# --- recase --------------------------------------------------------------------------------------------

def test_recase_keeps_length_and_offsets() -> None:
    text = "syrian forces reached deir al-zor on tuesday .\nthe army said .\n"
    _, sentences = segment(text)
    before = [(s.text, list(s.offsets), s.span) for s in sentences]

    def known_name(words: list[str], previous: str) -> list[str] | None:
        if words[:2] == ["deir", "al-zor"]:
            return ["Deir", "al-Zor"]
        if words[:1] == ["syrian"]:
            return ["Syrian"]
        if words[:1] == ["tuesday."]:
            return ["Tuesday."]
        return None

    recase(sentences, known_name)
    assert sentences[0].text == "Syrian forces reached Deir al-Zor on Tuesday."
    assert sentences[1].text == "The army said."
    for sentence, (text_before, offsets_before, span_before) in zip(sentences, before, strict=True):
        assert len(sentence.text) == len(text_before)
        assert sentence.text.lower() == text_before.lower()
        assert sentence.offsets == offsets_before
        assert sentence.span == span_before
        assert_letters_map_back(sentence.text, sentence.offsets, text)


def test_recase_only_copies_capitals_onto_the_same_letters() -> None:
    _, sentences = segment("rebels attacked the town .\n")
    recase(sentences, lambda words, previous: ["XXXXX"] if words[0] == "town." else None)
    assert sentences[0].text == "Rebels attacked the town."


def test_a_run_on_line_is_cut_into_bounded_sentences_that_map_back() -> None:
    from warmonitor.stages.text import MAX_SENTENCE_CHARS

    line = " ".join(["troops", "shelled", "the", "town", "near", "aleppo"] * 600)  # no full stop at all
    for text in (line.capitalize(), line + " .\n"):
        _, sentences = segment(text)
        assert len(sentences) > 1
        assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
        for sentence in sentences:
            assert text[sentence.span.start : sentence.span.end].lower().replace(" ", "") == \
                sentence.text.lower().replace(" ", "")


# --- lowercased prose (IndiaPoliceEvents' shape) ----------------------------------------------------------

_LOWER_PROSE = (
    "This story is from March 4, 2002\n\n"
    "vadodara: police on tuesday arrested 14 people after a clash near the old city gate. "
    "the sp, mr. r. k. shah, said the situation was under control.â€œwe have deployed extra men,â€\x9d he said. "
    "a curfew remains in force in three areas! shops stayed shut on wednesday? no one was hurt."
)


def test_lowercase_prose_is_detected_despite_a_cased_header() -> None:
    assert detect_shape(_LOWER_PROSE) == "lowercase-prose"
    assert detect_shape("the army said on monday it had retaken the town. rebels denied it.") == "lowercase-prose"


def test_lowercase_prose_is_split_at_real_sentence_ends() -> None:
    shape, sentences = segment(_LOWER_PROSE)
    assert shape == "lowercase-prose"
    texts = [s.text for s in sentences]
    assert texts[1].startswith("vadodara: police on tuesday arrested 14 people")
    assert texts[1].endswith("old city gate.")
    # "mr." and the initials "r. k." do not end a sentence; a mojibake quote after a full stop does.
    assert texts[2] == "the sp, mr. r. k. shah, said the situation was under control."
    assert texts[3].startswith("â€œwe have deployed extra men")
    assert texts[-3:] == ["a curfew remains in force in three areas!", "shops stayed shut on wednesday?", "no one was hurt."]
    for sentence in sentences:
        assert _LOWER_PROSE[sentence.span.start : sentence.span.end].strip() == sentence.text
        assert len(sentence.text) < 200  # never a paragraph-sized chunk


@given(st.lists(st.sampled_from(["police", "arrested", "mr.", "12", "men.", "â€œthe", "said,", "a.", "b.", "?", "rs.",
                                 "500", "\n", "curfew!", "village", "â€\x9d"]), max_size=60))
@hyp_settings(max_examples=150, deadline=None)
def test_lowercase_prose_sentences_never_overlap_and_map_back(words: list[str]) -> None:
    text = " ".join(words)
    from warmonitor.stages.text import split_lowercase_prose

    bounds = [(start, end) for start, end, _ in split_lowercase_prose(text)]
    assert all(0 <= start < end <= len(text) for start, end in bounds)
    assert all(first[1] <= second[0] for first, second in itertools.pairwise(bounds))
    covered = "".join(text[start:end] for start, end in bounds)
    assert sorted(covered.replace(" ", "").replace("\n", "")) == sorted(text.replace(" ", "").replace("\n", ""))


def test_sentences_know_their_paragraph() -> None:
    text = "Troops shelled Kidal. Rebels fled.\n\nOn Monday talks began in Algiers.\nThey ended at night."
    _, sentences = segment(text)
    assert [s.paragraph for s in sentences] == [0, 0, 1, 1]
    lowered = "troops shelled kidal .\nrebels fled .\n\non monday talks began in algiers .\n"
    assert [s.paragraph for s in segment(lowered)[1]] == [0, 0, 1]
