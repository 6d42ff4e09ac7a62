"""The linear event model: deterministic training and saving, loading, and the shipped model's freshness."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from warmonitor.classify import corpus
from warmonitor.classify.features import FeatureLexicon, features, hashed
from warmonitor.classify.labels import NONE
from warmonitor.classify.model import SHIPPED, EventClassifier, LinearModel, ModelError, is_violent
from warmonitor.classify.train import (
    default_lexicon,
    feature_sources,
    fit,
    invented_name,
    is_test,
    wikinews_texts,
    with_unknown_actor,
    write,
)

# Tiny snippets written for these tests: two event classes and non-events.
TEXTS_AND_LABELS: list[tuple[str, str]] = [
    ("Gunmen clashed with soldiers outside the border post at dawn.", "Armed clash"),
    ("Rebel fighters exchanged fire with the army for two hours near the river crossing.", "Armed clash"),
    ("militia members clashed with police in the hills overnight", "Armed clash"),
    ("Troops battled insurgents who had attacked a checkpoint on the main road.", "Armed clash"),
    ("Police arrested nine union organisers at their office on Tuesday.", "Arrests"),
    ("security agents detained a journalist at the airport and took him to an unknown place", "Arrests"),
    ("Officers arrested the mayor and two aides in a dawn raid on the town hall.", "Arrests"),
    ("The gendarmerie detained 14 students after the campus meeting.", "Arrests"),
    ("The home team fought back to draw 2-2 in the cup match.", NONE),
    ("Heavy rain battered the coast and closed the harbour for a day.", NONE),
    ("shares in the mining company were hammered after the results", NONE),
    ("The festival opens next week with a film about a long-ago war.", NONE),
]


@pytest.fixture(scope="module")
def lexicon() -> FeatureLexicon:
    return default_lexicon()


@pytest.fixture(scope="module")
def tiny(lexicon: FeatureLexicon) -> LinearModel:
    texts, labels = zip(*TEXTS_AND_LABELS, strict=True)
    return fit(list(texts), list(labels), lexicon, card={"name": "tiny test model"})


def test_fit_learns_the_classes(tiny: LinearModel, lexicon: FeatureLexicon) -> None:
    assert tiny.classes == ("Armed clash", "Arrests", NONE)
    assert tiny.detects
    assert tiny.weights.shape == (len(tiny.buckets), 3) and tiny.bias.shape == (3,)
    assert list(tiny.buckets) == sorted(set(tiny.buckets.tolist()))
    assert tiny.card["name"] == "tiny test model" and tiny.card["training_rows"] == len(TEXTS_AND_LABELS)
    rows = [hashed(features(text, lexicon)) for text, _ in TEXTS_AND_LABELS]
    predicted = [tiny.classes[int(i)] for i in tiny.scores(rows).argmax(axis=1)]
    assert predicted == [label for _, label in TEXTS_AND_LABELS]  # a high-C fit learns its own rows


def test_write_is_byte_identical(tiny: LinearModel, lexicon: FeatureLexicon, tmp_path: Path) -> None:
    texts, labels = zip(*TEXTS_AND_LABELS, strict=True)
    again = fit(list(texts), list(labels), lexicon, card={"name": "tiny test model"})
    write(tiny, tmp_path / "one")
    write(again, tmp_path / "two" / "nested")
    for name in ("model.npz", "card.json"):
        first, second = (tmp_path / "one" / name).read_bytes(), (tmp_path / "two" / "nested" / name).read_bytes()
        assert first == second, f"{name} differs between two writes of the same training"
    card = json.loads((tmp_path / "one" / "card.json").read_text(encoding="utf-8"))
    assert card["classes"] == ["Armed clash", "Arrests", NONE]
    assert list(card) == sorted(card)


def test_load_round_trips(tiny: LinearModel, lexicon: FeatureLexicon, tmp_path: Path) -> None:
    write(tiny, tmp_path)
    loaded = LinearModel.load(tmp_path)
    assert loaded.classes == tiny.classes
    assert np.array_equal(loaded.buckets, tiny.buckets)
    assert loaded.card["name"] == "tiny test model"
    rows = [hashed(features(text, lexicon)) for text in ("soldiers clashed with gunmen", "Police arrested the organisers", "")]
    original, reloaded = tiny.scores(rows), loaded.scores(rows)
    assert np.allclose(reloaded, original, atol=1e-2)  # weights are stored as float16
    assert np.allclose(reloaded.sum(axis=1), 1.0)
    assert (reloaded.argmax(axis=1) == original.argmax(axis=1)).all()


def test_scores_ignore_unknown_buckets(tiny: LinearModel) -> None:
    unknown = int(max(tiny.buckets)) + 1
    assert np.allclose(tiny.scores([[unknown]]), tiny.scores([[]]))


def test_load_of_an_empty_folder_says_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="warmonitor train"):
        LinearModel.load(tmp_path)


def test_load_refuses_arrays_that_do_not_match_the_classes(tiny: LinearModel, tmp_path: Path) -> None:
    write(tiny, tmp_path)
    card = json.loads((tmp_path / "card.json").read_text(encoding="utf-8"))
    card["classes"] = card["classes"][:2]
    (tmp_path / "card.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelError, match="do not match"):
        LinearModel.load(tmp_path)


def test_classifier_needs_a_detector_with_none(tiny: LinearModel, lexicon: FeatureLexicon) -> None:
    typer_only = LinearModel(tiny.classes[:2], tiny.buckets, tiny.weights[:, :2], tiny.bias[:2], {"name": "typer"})
    assert not typer_only.detects
    with pytest.raises(ModelError, match="'none'"):
        EventClassifier(typer_only, typer_only, lexicon)


def test_classifier_verdicts(tiny: LinearModel, lexicon: FeatureLexicon) -> None:
    classifier = EventClassifier(tiny, tiny, lexicon)
    clash, rain = classifier.verdicts(["Gunmen clashed with soldiers near the border post.",
                                       "Heavy rain battered the coast."])
    assert clash.label == "Armed clash" and clash.model == "tiny test model"
    assert NONE not in [name for name, _ in clash.ranked]
    assert abs(sum(p for _, p in clash.ranked) - 1.0) < 1e-6
    assert clash.event_probability > rain.event_probability


def test_violence_is_the_mass_of_the_violent_classes(tiny: LinearModel, lexicon: FeatureLexicon) -> None:
    classifier = EventClassifier(tiny, tiny, lexicon)
    clash, arrest = classifier.verdicts(["Gunmen clashed with soldiers near the border post.",
                                         "Police arrested nine union organisers at their office."])
    # of the tiny model's two classes only the armed clash is violent (an arrest is PLOVER COERCE)
    assert clash.violence_probability == pytest.approx(dict(clash.ranked)["Armed clash"])
    assert arrest.violence_probability == pytest.approx(1.0 - dict(arrest.ranked)["Arrests"])
    assert clash.violence_probability > 0.5 > arrest.violence_probability
    assert is_violent("Looting/property destruction") and is_violent("Violent demonstration")
    assert not is_violent("Arrests") and not is_violent("Peaceful protest") and not is_violent("PLOVER:ACCUSE")


def test_a_passage_lends_its_type_to_an_unsure_sentence(tiny: LinearModel, lexicon: FeatureLexicon) -> None:
    classifier = EventClassifier(tiny, tiny, lexicon)
    vague = "It happened near the market on Tuesday."
    passage = f"{vague} Police arrested nine union organisers and detained 14 students."
    [alone], [in_context] = classifier.verdicts([vague]), classifier.verdicts([vague], [passage])
    assert in_context.label == "Arrests"
    assert dict(in_context.ranked).get("Arrests", 0.0) > dict(alone.ranked).get("Arrests", 0.0)
    [sure] = classifier.verdicts(["Gunmen clashed with soldiers near the border post."], [passage])
    assert sure.label == "Armed clash"  # a sentence sure of its own type keeps it


def test_is_test_is_fixed_by_the_id() -> None:
    ids = [f"x-{n:04d}" for n in range(1000)]
    held = [i for i in ids if is_test(i)]
    assert held == [i for i in ids if is_test(i)]
    assert 150 < len(held) < 250  # about one in five


# --- the shipped model ---------------------------------------------------------------------------------


def test_shipped_model_loads_and_is_trained_on_the_current_files(lexicon: FeatureLexicon) -> None:
    detector, typer = LinearModel.load(SHIPPED / "detector"), LinearModel.load(SHIPPED / "typer")
    assert detector.detects and set(detector.classes) == {"none", "event"}
    assert not typer.detects and len(typer.classes) > 20
    card = json.loads((SHIPPED / "card.json").read_text(encoding="utf-8"))
    files = sorted(corpus.TRAINING.glob("*.jsonl"))
    current = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    trained = card["trained_on"]["files"]
    stale = sorted(name for name in current.keys() | trained.keys() if current.get(name) != trained.get(name))
    assert not stale, f"the shipped model is stale for {stale}; retrain it with `warmonitor train`"
    assert card["trained_on"]["rows"] + card["held_out"]["rows"] >= 5_000
    assert card["features"] == feature_sources(), "the features' word groups or dictionaries changed: retrain"
    verdict = EventClassifier(detector, typer, lexicon).verdicts(["Soldiers clashed with rebels near the town."])[0]
    assert verdict.event_probability > 0.5 and verdict.label == "Armed clash"


def test_an_unknown_actor_copy_renames_the_first_known_actor(lexicon: FeatureLexicon) -> None:
    text = "Militants killed four farmers near Djibo on Sunday, the army said."
    copy = with_unknown_actor(text, lexicon, seed=11)
    assert copy is not None and copy.endswith(" killed four farmers near Djibo on Sunday, the army said.")
    renamed = copy.split(" killed")[0]
    assert renamed != "Militants" and not any(n.startswith("actor:") for n in lexicon.reading(renamed)[1])
    assert copy == with_unknown_actor(text, lexicon, seed=11)  # the same seed, the same copy


def test_an_unknown_actor_copy_keeps_the_lowercase_shape(lexicon: FeatureLexicon) -> None:
    copy = with_unknown_actor("the police detained six youths in nashik .", lexicon, seed=3)
    assert copy is not None and copy == copy.lower() and "police" not in copy
    assert with_unknown_actor("Heavy rain fell on Nashik on Monday.", lexicon, seed=3) is None


def test_invented_names_vary_and_are_fixed_by_the_seed() -> None:
    names = {invented_name(seed) for seed in range(50)}
    assert len(names) > 40
    assert invented_name(7) == invented_name(7)


def test_a_wikinews_corpus_that_is_not_articles_is_refused_by_line(tmp_path: Path) -> None:
    corpus = tmp_path / "wikinews.jsonl"
    corpus.write_text('{"id": 1, "text": "A story."}\nnot json\n', encoding="utf-8")
    with pytest.raises(ModelError, match=r"wikinews.jsonl:2"):
        wikinews_texts(corpus)
    with pytest.raises(ModelError, match="cannot read"):
        wikinews_texts(tmp_path / "missing.jsonl")
    assert wikinews_texts(None) is None
