"""The Python entry points a notebook uses: extract, to_dict, events_frame, explain."""

from __future__ import annotations

import json
from datetime import date

import pytest

import warmonitor
from warmonitor.errors import BadArticle, ModelMissing
from warmonitor.model import Event
from warmonitor.settings import Settings

ARTICLE = (
    "GOMA (Example Wire) - M23 rebels on Monday shelled army positions near Sake, killing at least 4 soldiers, "
    "the army said.\nThe government accused Kigali of backing the rebels."
)
RECORD_KEYS = {
    "id", "article_id", "sentence", "span", "trigger", "trigger_span", "plover_type", "cameo_root", "acled_event_type",
    "acled_sub_event_type", "status", "date", "date_precision", "actor1", "actor2", "actor1_associates", "location", "attribution",
    "fatalities", "confidence",
}  # fmt: skip


@pytest.fixture(scope="module")
def events(pipeline: object, settings: Settings) -> list[Event]:
    return warmonitor.extract(ARTICLE, published="2025-01-28", settings=settings, source="Example Wire")


def test_extract_returns_typed_events_that_become_json_records(events: list[Event]) -> None:
    assert events and all(isinstance(event, Event) for event in events)
    shelling = next(event for event in events if event.trigger == "shelled")
    assert shelling.date == date(2025, 1, 27)
    record = shelling.to_dict()
    assert set(record) == RECORD_KEYS
    assert json.loads(json.dumps(record)) == record
    assert record["actor1"]["canonical"] == "M23" and record["actor1"]["country"] == "COD"
    assert record["location"]["canonical"] == "Sake" and record["location"]["precision"] == "near"
    assert record["fatalities"] == 4 and record["attribution"] == "the army"


def test_events_frame_flattens_nested_fields(events: list[Event]) -> None:
    frame = warmonitor.events_frame(events)
    assert len(frame) == len(events)
    assert {"actor1.canonical", "location.lat", "plover_type"} <= set(frame.columns)


def test_explain_gives_evidence_for_each_coded_field(events: list[Event]) -> None:
    accusation = next(event for event in events if event.plover_type == "ACCUSE")
    assert accusation.actor2 is not None and accusation.actor2.country == "RWA"
    explained = accusation.explain()
    fields = {item["field"] for item in explained["evidence"]}
    assert {"plover_type", "actor1", "actor2", "status", "date"} <= fields


def test_extract_refuses_what_is_not_an_article(settings: Settings) -> None:
    with pytest.raises(BadArticle, match="empty"):
        warmonitor.extract("  ", settings=settings)


def test_the_missing_model_error_names_a_command_that_exists(settings: Settings) -> None:
    import re
    from pathlib import Path

    from warmonitor.resources import Resources

    resources = Resources(settings.with_(spacy_model="no_such_pipeline_xx"), None, None)  # type: ignore[arg-type]
    with pytest.raises(ModelMissing) as raised:
        _ = resources.nlp
    message = str(raised.value)
    assert message.startswith("[W202]") and "no_such_pipeline_xx" in message
    scripts = re.findall(r"\b(?:\./)?[\w/]+\.sh\b", message)
    root = Path(__file__).resolve().parents[1]
    assert scripts and all((root / script).is_file() for script in scripts), scripts
