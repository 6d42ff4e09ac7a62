"""Dictionaries: the built-in files, a user's folder that extends and overrides them, and the
errors a malformed file gives."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from warmonitor.dictionaries import BUILTIN, Cues, Dictionaries
from warmonitor.errors import DictionaryError
from warmonitor.model import ActorSource, Article
from warmonitor.pipeline import Pipeline
from warmonitor.resources import Resources
from warmonitor.settings import Settings

VERB_HEADER = "verb,object,plover_type,cameo_root,acled_event_type,acled_sub_event_type\n"


# --- user dictionaries -----------------------------------------------------------------------------------

@pytest.fixture
def user_dictionaries(tmp_path: Path) -> Path:
    folder = tmp_path / "dictionaries"
    folder.mkdir()
    (folder / "actors.csv").write_text(
        "# a made-up armed group\ncanonical,country,type,aliases\n"
        "Valley Liberation Front,,rebel,Valley Liberation Front|VLF\n",
        encoding="utf-8",
    )
    (folder / "verbs.csv").write_text(
        VERB_HEADER + "ransack,,ASSAULT,18,Violence against civilians,Attack\n", encoding="utf-8")
    return folder


def _pipeline_with(pipeline: Pipeline, settings: Settings, folder: Path | None) -> Pipeline:
    resources = Resources(settings, Dictionaries.load(folder), pipeline.resources.gazetteer,
                          _nlp=pipeline.resources.nlp)  # the session's spaCy pipeline: no second load
    return Pipeline(resources)


@pytest.mark.parametrize(
    "text",
    [
        "The Valley Liberation Front ransacked a police station in Kano on Monday.",
        "the valley liberation front ransacked a police station in kano on monday .\n",
    ],
    ids=["cased", "lowercase"],
)
def test_user_dictionaries_add_an_actor_and_a_verb(pipeline: Pipeline, settings: Settings, user_dictionaries: Path,
                                                   text: str) -> None:
    article = Article(text=text, published=date(2024, 1, 2))

    built_in = _pipeline_with(pipeline, settings, None).analyze(article)
    assert not any(m.actor.canonical == "Valley Liberation Front" for m in built_in.actors)
    assert not any(e.trigger == "ransacked" for e in built_in.events)

    extended = _pipeline_with(pipeline, settings, user_dictionaries).analyze(article)
    group = [m.actor for m in extended.actors if m.actor.canonical == "Valley Liberation Front"]
    assert len(group) == 1
    assert group[0].type == "rebel"
    assert group[0].found_by is ActorSource.NAMED
    assert group[0].entry == "Valley Liberation Front"  # the user's alias that matched
    (event,) = [e for e in extended.events if e.trigger == "ransacked"]
    assert event.plover_type == "ASSAULT"
    assert event.cameo_root == "18"
    assert event.actor1 is not None and event.actor1.canonical == "Valley Liberation Front"
    assert any(item.field == "plover_type" and "dictionaries/verbs.csv:2" in item.rule for item in event.evidence)


def test_user_rows_override_built_in_ones(tmp_path: Path) -> None:
    (tmp_path / "actors.csv").write_text("canonical,country,type,aliases\nDaesh Remnants,SYR,rebel,Daesh\n",
                                         encoding="utf-8")
    dictionaries = Dictionaries.load(tmp_path)
    assert dictionaries.actors["daesh"].canonical == "Daesh Remnants"
    assert dictionaries.actors["isil"].canonical == "Islamic State"
    assert dictionaries.sources[-1] == tmp_path


# --- malformed files -------------------------------------------------------------------------------------

def test_unknown_plover_type_is_a_dictionary_error(tmp_path: Path) -> None:
    (tmp_path / "verbs.csv").write_text(VERB_HEADER + "ransack,,PILLAGE,18,,\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"verbs\.csv:2.*PILLAGE"):
        Dictionaries.load(tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (VERB_HEADER + "ransack,,ASSAULT,99,,\n", "cameo_root"),
        (VERB_HEADER + "ransack,,ASSAULT\n", "wrong number of fields"),
        ("verb,plover_type\nransack,ASSAULT\n", "missing column"),
    ],
)
def test_other_malformed_verb_rows(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "verbs.csv").write_text(content, encoding="utf-8")
    with pytest.raises(DictionaryError, match=message):
        Dictionaries.load(tmp_path)


def test_missing_dictionaries_folder(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match="does not exist"):
        Dictionaries.load(tmp_path / "nowhere")


# --- cues ------------------------------------------------------------------------------------------------

def test_malformed_cues_file(tmp_path: Path) -> None:
    (tmp_path / "cues.toml").write_text("planned = [unclosed\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"cues\.toml"):
        Dictionaries.load(tmp_path)


def test_built_in_cues_are_loaded() -> None:
    cues = Dictionaries.load().cues
    assert {"not", "deny"} <= cues.negation
    assert "say" in cues.reporting_verbs
    assert "could" in cues.hypothetical
    assert all(getattr(cues, name) for name in Cues.names())  # the built-in file fills every list


def test_an_unknown_cue_list_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "cues.toml").write_text('negation = ["rebuff"]\nnegatoin = ["refuse"]\n', encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"cues\.toml: unknown cue list 'negatoin'"):
        Dictionaries.load(tmp_path)


def test_a_cue_list_must_be_a_list_of_strings(tmp_path: Path) -> None:
    (tmp_path / "cues.toml").write_text('negation = "rebuff"\n', encoding="utf-8")
    with pytest.raises(DictionaryError, match="'negation' must be a list of strings"):
        Dictionaries.load(tmp_path)


def test_a_user_cue_list_extends_the_built_in_one(tmp_path: Path) -> None:
    (tmp_path / "cues.toml").write_text('negation = ["Rebuff", "not"]\n', encoding="utf-8")
    built_in = Dictionaries.load().cues
    extended = Dictionaries.load(tmp_path).cues
    assert extended.negation == built_in.negation | {"rebuff"}  # a union, lowercased
    assert built_in.negation < extended.negation
    for name in Cues.names():
        if name != "negation":
            assert getattr(extended, name) == getattr(built_in, name)


def test_cues_extended_directly(tmp_path: Path) -> None:
    cues = Cues(planned=frozenset({"vow"}))
    extended = cues.extended(tmp_path / "cues.toml", {"planned": ["Pledge"], "ongoing": ["still"]})
    assert extended.planned == frozenset({"vow", "pledge"})
    assert extended.ongoing == frozenset({"still"})
    assert extended.negation == frozenset()
    assert cues.planned == frozenset({"vow"})  # the original is left as it was
    with pytest.raises(DictionaryError, match="unknown cue list 'plans'"):
        cues.extended(tmp_path / "cues.toml", {"plans": ["vow"]})


@pytest.mark.parametrize("name", ["agents.csv", "nouns.csv"])
def test_a_built_in_row_is_never_shadowed_by_a_later_one(name: str) -> None:
    # a repeated key silently replaces the first row (a later "foreign ministry" once hid its ministry)
    keys = [line.split(",")[0] for line in (BUILTIN / name).read_text(encoding="utf-8").splitlines()[1:]
            if line and not line.startswith("#")]
    assert [key for key, count in Counter(keys).items() if count > 1] == []
