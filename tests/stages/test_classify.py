"""The classify stage's reading of sentences: alone, with the one before, and in their passage."""

from __future__ import annotations

from warmonitor.model import Analysis, Article
from warmonitor.stages.classify import passages_around, texts_to_classify
from warmonitor.stages.text import segment


def analysis_of(text: str) -> Analysis:
    shape, sentences = segment(text)
    return Analysis(Article(text=text, origin="test"), sentences, shape)


NOTE = "On 3 May, villagers blocked the road to Kasese. Police fired tear gas to disperse them. 2 injured."


def test_a_short_paragraph_is_read_whole() -> None:
    analysis = analysis_of(NOTE)
    assert passages_around(analysis) == [NOTE] * 3


def test_a_long_paragraph_gives_each_sentence_its_neighbours() -> None:
    sentences = ["Troops shelled Kidal.", "Rebels fled north.", "Talks began in Algiers.", "They ended at night."]
    passages = passages_around(analysis_of(" ".join(sentences)))
    assert passages[0] == " ".join(sentences[:2])
    assert passages[2] == " ".join(sentences[1:4])


def test_a_paragraph_of_one_sentence_has_no_passage_and_paragraphs_stay_apart() -> None:
    text = "Troops shelled Kidal on Monday.\n\nThe festival opens next week in Bamako with a film."
    assert passages_around(analysis_of(text)) == [None, None]


def test_a_short_sentence_is_classified_with_the_one_before() -> None:
    texts = texts_to_classify(analysis_of(NOTE))
    assert texts[2] == "Police fired tear gas to disperse them. 2 injured."
    assert texts[0] == "On 3 May, villagers blocked the road to Kasese."
