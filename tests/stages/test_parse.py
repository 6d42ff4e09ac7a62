"""Parse stage: capitals restored on lowercased input from names the dictionaries and gazetteer
know, a blanked dateline, and one spaCy doc per sentence."""

from __future__ import annotations

import pytest

from warmonitor.model import Analysis, Article, Sentence
from warmonitor.pipeline import Pipeline
from warmonitor.stages import parse
from warmonitor.stages.parse import _without_dateline, known_name
from warmonitor.stages.text import dateline_length, segment


def _sentences(text: str) -> list[Sentence]:
    return segment(text)[1]


def _analysis(text: str) -> Analysis:
    analysis = Analysis(Article(text=text))
    analysis.shape, analysis.sentences = segment(text)
    return analysis


# --- without a model -----------------------------------------------------------------------------------

def test_a_dateline_is_blanked_with_its_offsets_kept() -> None:
    (sentence,) = _sentences("KABUL (Reuters) - Gunmen attacked a police checkpoint on Monday.")
    assert sentence.is_dateline
    blanked = _without_dateline(sentence)
    length = dateline_length(sentence.text)
    assert length > 0
    assert len(blanked) == len(sentence.text)
    assert blanked[:length] == " " * length
    assert blanked[length:] == sentence.text[length:] == "Gunmen attacked a police checkpoint on Monday."


def test_a_sentence_without_dateline_is_parsed_as_written() -> None:
    (sentence,) = _sentences("Gunmen attacked a police checkpoint in Kabul on Monday.")
    assert not sentence.is_dateline
    assert _without_dateline(sentence) == sentence.text


# --- with the spaCy pipeline and gazetteer -------------------------------------------------------------

@pytest.mark.parametrize(
    ("words", "previous", "cased"),
    [
        (["deir", "al-zor"], "reached", ["Deir", "al-Zor"]),  # a gazetteer place; the particle stays low
        (["homs", "on"], "near", ["Homs"]),
        (["may"], "", None),  # a modal far more often than a month
        (["march"], "", None),  # a verb far more often than a month
        (["the", "town"], "", None),
        (["japan"], "struck", ["Japan"]),  # a country, though the lexicon also lists "japan" as a verb
        (["gujarat"], "across", ["Gujarat"]),  # a region the noun list holds as a proper noun
        (["west", "bank"], "the", ["West", "Bank"]),  # a listed name of two ordinary words
        (["islands"], "the", None),  # Hong Kong's Islands district is no reason to capitalise the noun
        (["alibori", "department"], "northern", ["Alibori", "Department"]),  # a region, whatever its population
    ],
)
def test_known_name(pipeline: Pipeline, words: list[str], previous: str, cased: list[str] | None) -> None:
    assert known_name(words, pipeline.resources, previous) == cased


def test_lowercased_sentences_are_recased_in_place(pipeline: Pipeline) -> None:
    text = "syrian government forces attacked rebels near homs on monday .\nrebels may march on the capital in march .\n"
    analysis = _analysis(text)
    before = [(sentence.text, list(sentence.offsets)) for sentence in analysis.sentences]
    parse.run(analysis, pipeline.resources)
    first, second = analysis.sentences
    assert first.text == "Syrian government forces attacked rebels near Homs on Monday."
    assert "may march" in second.text and second.text.endswith("in march.")
    for sentence, (old_text, old_offsets) in zip(analysis.sentences, before, strict=True):
        assert sentence.text.lower() == old_text.lower()  # letters change case, never place
        assert sentence.offsets == old_offsets
    assert [doc.text for doc in analysis.docs] == [sentence.text for sentence in analysis.sentences]


def test_cased_text_is_not_recased(pipeline: Pipeline) -> None:
    text = "rebels near homs said so. Syrian forces attacked."  # cased: taken as written
    analysis = _analysis(text)
    assert analysis.shape == "raw"
    texts = [sentence.text for sentence in analysis.sentences]
    parse.run(analysis, pipeline.resources)
    assert [sentence.text for sentence in analysis.sentences] == texts


@pytest.mark.parametrize("text", [
    pytest.param("KABUL (Reuters) - Gunmen attacked a police checkpoint on Monday.", id="cased"),
    pytest.param("kabul ( reuters ) - gunmen attacked a police checkpoint on monday .\n", id="lowercase"),
])
def test_the_parser_never_sees_the_dateline(pipeline: Pipeline, text: str) -> None:
    analysis = _analysis(text)
    parse.run(analysis, pipeline.resources)
    (doc,) = analysis.docs
    assert len(doc.text) == len(analysis.sentences[0].text)  # token offsets are sentence offsets
    assert not [token for token in doc if token.lower_ in {"kabul", "reuters"}]
    (attacked,) = [token for token in doc if token.lower_ == "attacked"]
    assert [child.lower_ for child in attacked.children if child.dep_ == "nsubj"] == ["gunmen"]


def test_several_articles_in_one_batch(pipeline: Pipeline) -> None:
    analyses = [_analysis("Rebels attacked the town. Troops withdrew."), _analysis("Talks resumed in Geneva.")]
    parse.run_many(analyses, pipeline.resources)
    assert [len(analysis.docs) for analysis in analyses] == [2, 1]
    for analysis in analyses:
        assert [doc.text for doc in analysis.docs] == [sentence.text for sentence in analysis.sentences]
