"""The learned event–place linker: its features, its choice, its training data reader and scoring."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.helpers import analyze
from warmonitor.classify.linker import OTHER, PLACE, SHIPPED_LINKER, PlaceLinker, pairing_features, subject_phrase
from warmonitor.classify.model import LinearModel, ModelError
from warmonitor.classify.train_linker import Example, event_word, link_scores, read_records
from warmonitor.pipeline import Pipeline
from warmonitor.stages.places import pairings, place_of


def _features(pipeline: Pipeline, text: str, verb: str, place: str) -> list[str]:
    analysis = analyze(pipeline, text)
    found = event_word(analysis, text.index(verb))
    assert found is not None
    paired = pairings(analysis, found[0], found[1])
    chosen = [pairing for mention, pairing in paired if mention.location.name == place]
    assert chosen, [mention.location.name for mention, _ in paired]
    return pairing_features(chosen[0], [pairing for _, pairing in paired if pairing is not chosen[0]])


def test_features_say_what_a_preposition_hangs_on(pipeline: Pipeline) -> None:
    town = _features(pipeline, "Soldiers lifted the blockade of the town of Mopti on Thursday.", "lifted", "Mopti")
    assert "prep*attach=of*town" in town and "noun_kind=place_noun" in town
    owner = _features(pipeline, "Protesters marched to the embassy of Rwanda in Kinshasa on Tuesday.", "marched", "Rwanda")
    assert "noun_kind=other_noun" in owner
    near = _features(pipeline, "Gunmen attacked a checkpoint near Maiduguri on Monday.", "attacked", "Maiduguri")
    assert "prep=near" in near and "only_place" in near


def test_features_mark_a_list_of_places(pipeline: Pipeline) -> None:
    listed = _features(pipeline, "Ministers from Kenya, Uganda and Tanzania met in Arusha on Friday.", "met", "Uganda")
    assert "in_list" in listed
    assert "in_list" not in _features(pipeline, "Ministers from Kenya, Uganda and Tanzania met in Arusha on Friday.",
                                      "met", "Arusha")


def test_subject_phrase_tells_the_agent_from_the_victim(pipeline: Pipeline) -> None:
    analysis = analyze(pipeline, "A warship in the Black Sea fired missiles at Odesa.")
    doc = analysis.docs[0]
    fired = next(t for t in doc if t.text == "fired")
    assert subject_phrase(fired, next(t for t in doc if t.text == "Sea")) == "nsubj"
    assert subject_phrase(fired, next(t for t in doc if t.text == "Odesa")) == ""
    passive = analyze(pipeline, "Two fighters in Tabqa were killed by gunmen from Raqqa.")
    killed = next(t for t in passive.docs[0] if t.text == "killed")
    assert subject_phrase(killed, next(t for t in passive.docs[0] if t.text == "Tabqa")) == "nsubjpass"
    assert subject_phrase(killed, next(t for t in passive.docs[0] if t.text == "Raqqa")) == "agent"


@pytest.mark.parametrize(("text", "verb", "place"), [
    ("Gunmen killed five villagers in Gao on Sunday, the army said in a statement from Bamako.", "killed", "Gao"),
    ("Police fired tear gas at protesters outside parliament in Nairobi, witnesses said.", "fired", "Nairobi"),
    ("Militants stormed the village of Kamba in Kebbi state overnight, residents said.", "stormed", "Kamba"),
])
def test_the_shipped_linker_picks_the_place_of_the_act(pipeline: Pipeline, text: str, verb: str, place: str) -> None:
    analysis = analyze(pipeline, text)
    found = event_word(analysis, text.index(verb))
    assert found is not None
    link = place_of(analysis, found[0], found[1], pipeline.resources.linker)
    assert link is not None and link.mention.location.name == place, link
    assert 0.0 < link.probability <= 1.0


def test_no_place_when_the_sentence_names_none_likely(pipeline: Pipeline) -> None:
    text = "The minister condemned the killings on Tuesday."
    analysis = analyze(pipeline, text)
    found = event_word(analysis, text.index("condemned"))
    assert found is not None
    assert place_of(analysis, found[0], found[1], pipeline.resources.linker) is None


def test_the_shipped_linker_loads_with_its_card() -> None:
    linker = PlaceLinker.load(SHIPPED_LINKER)
    card = linker.model.card
    assert 0.0 < linker.threshold < 1.0
    assert card["held_out"]["rule"] == "source == 'RELABEL'"
    assert card["test_scores"]["cased"]["f1"] > 0.7  # the figure the card was written with, on unseen records
    assert card["trained_on"]["shapes"] == ["as written", "lowercased"]


def test_a_model_without_the_linker_classes_is_refused() -> None:
    model = LinearModel(("none", "event"), np.zeros(0, dtype=np.int64), np.zeros((0, 2), dtype=np.float32),
                        np.zeros(2, dtype=np.float32), {})
    with pytest.raises(ModelError, match="place"):
        PlaceLinker(model)
    assert {PLACE, OTHER} == set(PlaceLinker.load().model.classes)


def _record(text: str, verb: tuple[int, int], place: tuple[int, int] | None, source: str = "AP") -> dict[str, object]:
    spans = [{"start": verb[0], "end": verb[1], "token_start": 99, "token_end": 99, "label": "VERB"}]
    if place is not None:
        spans.append({"start": place[0], "end": place[1], "token_start": 99, "token_end": 99, "label": "LOCATION"})
    return {"text": text, "spans": spans, "tokens": [], "source": source, "_id": text[:10], "answer": "accept"}


def test_read_records_keeps_marked_verbs_and_names_a_bad_line(tmp_path: Path) -> None:
    good = _record("Troops shelled Gao.", (7, 14), (15, 18))
    unmarked = {"text": "No verb here.", "source": "RELABEL", "_id": "x", "answer": "accept"}
    rejected = dict(_record("Troops shelled Gao.", (7, 14), None), answer="reject")
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in (good, unmarked, rejected)) + "\n", encoding="utf-8")
    (record,) = read_records(path)
    assert record.verb == (7, 14) and record.places == ((15, 18),) and not record.adjudicated
    path.write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ModelError, match=r"records\.jsonl:2"):
        read_records(path)


def test_link_scores_count_as_the_bench_does() -> None:
    examples = [Example(1, True, [[1], [2]], [False, True]), Example(2, True, [[3]], [True]),
                Example(3, False, [[4]], [False]), Example(4, True, [], [])]
    scores = [np.array([0.2, 0.9]), np.array([0.1]), np.array([0.6]), np.zeros(0)]
    figures = link_scores(examples, scores, threshold=0.5)
    # predicted: records 1 (right) and 3 (no gold place: wrong); gold places: records 1, 2 and 4
    assert figures["precision"] == 0.5 and figures["recall"] == pytest.approx(1 / 3, abs=1e-4)
