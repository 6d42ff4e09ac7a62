"""Architecture: cheap import, stages that chain, and dictionaries a user can extend."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from warmonitor.dictionaries import Dictionaries
from warmonitor.errors import DictionaryError, PipelineError
from warmonitor.model import Article
from warmonitor.pipeline import DEFAULT_STAGES, Pipeline, Stage, validate
from warmonitor.resources import Resources
from warmonitor.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
VERB_HEADER = "verb,object,plover_type,cameo_root,acled_event_type,acled_sub_event_type\n"


def test_import_is_cheap() -> None:
    result = subprocess.run(
        [sys.executable, "-c",
         "import warmonitor, sys; print('spacy' in sys.modules, 'pandas' in sys.modules, 'dateparser' in sys.modules)"],
        capture_output=True, text=True, cwd=ROOT, check=True, timeout=120,
    )
    assert result.stdout.split() == ["False", "False", "False"]


# --- stages chain ----------------------------------------------------------------------------------------

def test_default_stages_validate() -> None:
    validate(DEFAULT_STAGES)
    names = [stage.name for stage in DEFAULT_STAGES]
    assert names == ["text", "parse", "actors", "events", "places", "dates", "dedup"]


def _stages(*names: str) -> list[Stage]:
    by_name = {stage.name: stage for stage in DEFAULT_STAGES}
    return [by_name[name] for name in names]


@pytest.mark.parametrize("reader", ["places", "dates", "dedup"])
def test_stage_reading_events_before_the_events_stage(reader: str) -> None:
    order = ["text", "parse", "actors", reader, "events"]
    with pytest.raises(PipelineError, match="events"):
        validate(_stages(*order))


def test_missing_stage_is_refused() -> None:
    with pytest.raises(PipelineError, match="docs"):
        validate(_stages("text", "actors", "events"))


def test_pipeline_refuses_misordered_stages_when_built(pipeline: Pipeline) -> None:
    with pytest.raises(PipelineError):
        Pipeline(pipeline.resources, tuple(_stages("text", "parse", "actors", "places", "events")))


def test_pipeline_error_has_a_code() -> None:
    with pytest.raises(PipelineError) as raised:
        validate(_stages("events"))
    assert str(raised.value).startswith("[W501]")


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
    assert group[0].rule and "Valley Liberation Front" in group[0].rule
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


def test_malformed_cues_file(tmp_path: Path) -> None:
    (tmp_path / "cues.toml").write_text("planned = [unclosed\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"cues\.toml"):
        Dictionaries.load(tmp_path)
