"""Gold event files: reading them, matching predicted events to gold ones, scoring, and `warmonitor evaluate`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from warmonitor import cli
from warmonitor.gold import FIELDS, GoldError, GoldEvent, GoldPlace, evaluate, format_table, match, read_gold
from warmonitor.model import Event, Span
from warmonitor.pipeline import Pipeline
from warmonitor.settings import SETTINGS, Settings

# An article written for these tests: two events and, between them, a sentence that reports none.
ARREST = "Police arrested 12 opposition activists in Kampala on Monday."
PLAN = "The city council will publish its annual budget report next month."
CLASH = "Soldiers clashed with rebels near Gulu on Tuesday, killing three fighters."
TEXT = f"{ARREST} {PLAN} {CLASH}"

ARTICLE: dict[str, Any] = {
    "id": "uganda-week", "title": "A week in Uganda", "published": "2024-03-06", "source": "Test Wire", "text": TEXT,
    "events": [
        {"sentence": "Police arrested 12 opposition activists", "trigger": "arrested", "plover_type": "COERCE",
         "acled_sub_event_type": "Arrests", "actor1": "Police", "actor2": "opposition activists",
         "place": {"name": "Kampala", "lat": 0.3136, "lon": 32.5811}, "date": "2024-03-04", "status": "occurred",
         "fatalities": None},
        {"sentence": "soldiers clashed with rebels near gulu", "trigger": "clashed", "plover_type": "ASSAULT",
         "acled_sub_event_type": "Armed clash", "actor1": "Soldiers", "actor2": "rebels",
         "place": {"name": "Gulu", "lat": 2.7724, "lon": 32.2881}, "date": "2024-03-05", "status": "occurred",
         "fatalities": 3},
    ],
    "non_events": [{"sentence": "the city council will publish its annual budget report", "kind": "plan"}],
}


def write_gold(path: Path, *rows: dict[str, Any] | str) -> Path:
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows), encoding="utf-8")
    return path


def with_event(**changes: Any) -> dict[str, Any]:
    """The article with its first event changed."""
    first = {**ARTICLE["events"][0], **changes}
    return {**ARTICLE, "id": "changed", "events": [first, ARTICLE["events"][1]]}


# --- reading -------------------------------------------------------------------------------------------


def test_read_gold_parses_a_good_article(tmp_path: Path) -> None:
    [article] = read_gold(write_gold(tmp_path / "gold.jsonl", ARTICLE))
    assert (article.id, article.title, article.source) == ("uganda-week", "A week in Uganda", "Test Wire")
    assert article.published == date(2024, 3, 6) and article.text == TEXT
    arrest, clash = article.events
    assert arrest == GoldEvent("Police arrested 12 opposition activists", "arrested", "COERCE", "Arrests", "Police",
                               "opposition activists", GoldPlace("Kampala", 0.3136, 32.5811), date(2024, 3, 4),
                               "occurred", None)
    assert clash.fatalities == 3 and clash.place is not None and clash.place.name == "Gulu"
    assert article.non_events == ("the city council will publish its annual budget report",)


def test_read_gold_skips_blank_lines(tmp_path: Path) -> None:
    path = write_gold(tmp_path / "gold.jsonl", ARTICLE, "", {**ARTICLE, "id": "again"})
    assert [a.id for a in read_gold(path)] == ["uganda-week", "again"]


@pytest.mark.parametrize(("bad", "message"), [
    (with_event(sentence="Police arrested 40 opposition activists"),
     "event sentence 'Police arrested 40 opposition activists' is not in the text"),
    (with_event(plover_type="DETAIN"), "unknown plover_type 'DETAIN'"),
    (with_event(date="2024-02-30"), "date '2024-02-30' is not YYYY-MM-DD"),
    (with_event(date="4 March 2024"), "date '4 March 2024' is not YYYY-MM-DD"),
    (with_event(status="rumoured"), "unknown status 'rumoured'"),
    (with_event(place={"name": "Kampala"}), "place needs name, lat and lon"),
    (with_event(fatalities="three"), "fatalities must be a whole number or null"),
    ({key: value for key, value in ARTICLE.items() if key != "text"}, "missing 'text'"),
    ("{\"id\": \"cut-short\", ", "Expecting property name"),
])
def test_read_gold_names_the_bad_line(tmp_path: Path, bad: dict[str, Any] | str, message: str) -> None:
    path = write_gold(tmp_path / "gold.jsonl", ARTICLE, "", bad)
    with pytest.raises(GoldError) as caught:
        read_gold(path)
    text = str(caught.value)
    assert f"{path}:3: " in text, text
    assert message in text.split(f"{path}:3: ", 1)[1], text


def test_read_gold_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="cannot read"):
        read_gold(tmp_path / "absent.jsonl")


# --- matching ------------------------------------------------------------------------------------------


def event(sentence: str, trigger: str, plover_type: str, index: int = 0) -> Event:
    start = sentence.index(trigger)
    return Event(article_id="a1", sentence_index=index, sentence=sentence, span=Span(0, len(sentence)), trigger=trigger,
                 trigger_span=Span(start, start + len(trigger)), plover_type=plover_type, cameo_root="00")


def gold(sentence: str, trigger: str | None, plover_type: str) -> GoldEvent:
    return GoldEvent(sentence, trigger, plover_type, None, None, None, None, None, None, None)


RAID = "Troops raided a village and detained two elders, residents said."


def test_match_prefers_the_same_trigger() -> None:
    same_type = event(RAID, "raided", "COERCE")
    same_trigger = event(RAID, "detained", "ASSAULT")
    wanted = gold("troops raided a village", "detained", "COERCE")
    [(paired, chosen)] = match([same_type, same_trigger], [wanted])
    assert paired is wanted and chosen is same_trigger


def test_match_then_prefers_the_same_plover_type() -> None:
    assault = event(RAID, "raided", "ASSAULT")
    coerce = event(RAID, "detained", "COERCE")
    assert match([assault, coerce], [gold("detained two elders", None, "COERCE")])[0][1] is coerce
    assert match([assault, coerce], [gold("detained two elders", "seized", "ASSAULT")])[0][1] is assault


def test_match_uses_a_predicted_event_once() -> None:
    only = event(RAID, "raided", "ASSAULT")
    first, second = gold(RAID, "raided", "ASSAULT"), gold(RAID, "detained", "COERCE")
    assert match([only], [first, second]) == [(first, only), (second, None)]
    other = event(RAID, "detained", "COERCE")
    assert match([only, other], [second, first]) == [(second, other), (first, only)]


def test_match_needs_the_gold_words_in_the_sentence() -> None:
    elsewhere = event("Rebels shelled the airport on Friday.", "shelled", "ASSAULT", index=1)
    raid = event(RAID, "raided", "ASSAULT")
    wanted = gold("TROOPS RAIDED a village, and", "raided", "ASSAULT")  # no case, no punctuation
    assert match([elsewhere, raid], [wanted]) == [(wanted, raid)]
    assert match([elsewhere], [wanted]) == [(wanted, None)]
    assert match([raid], [gold("troops raided a town", "raided", "ASSAULT")])[0][1] is None


def test_match_reads_the_lowercased_shape() -> None:
    lowered = event("troops raided a village and detained two elders , residents said .", "raided", "ASSAULT")
    wanted = gold("Troops raided a village", "Raided", "ASSAULT")
    assert match([lowered], [wanted]) == [(wanted, lowered)]


# --- scoring with the pipeline -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    return read_gold(write_gold(tmp_path_factory.mktemp("gold") / "gold.jsonl", ARTICLE))


@pytest.mark.parametrize("shape", ["cased", "lowercase"])
def test_evaluate_finds_both_events_and_no_false_alarm(pipeline: Pipeline, articles: list[Any], shape: str) -> None:
    report = evaluate(pipeline, articles, shape)
    detection = report.fields["detection"]
    assert report.shape == shape and report.articles == 1 and not report.errors
    assert detection.gold == 2 and detection.right == 2 and detection.recall == 1.0, format_table([report])
    assert report.non_event_sentences == 1
    assert report.false_alarms == 0, format_table([report])
    for name in ("plover_type", "acled_sub_event_type", "actor1", "place"):
        assert report.fields[name].recall == 1.0, (name, format_table([report]))
    assert report.fields["fatalities"].gold == 1  # the arrest's null fatalities are not scored


def test_format_table_lists_every_field(pipeline: Pipeline, articles: list[Any]) -> None:
    table = format_table([evaluate(pipeline, articles, "cased")])
    assert table.startswith("cased: 1 articles, 2 gold events; 0 events in 1 non-event sentences")
    for name in FIELDS:
        assert f"  {name} " in table


def test_cli_evaluate_json(tmp_path: Path, settings: Settings, pipeline: Pipeline, capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    for setting in SETTINGS:
        monkeypatch.delenv(f"WARMONITOR_{setting.name.upper()}", raising=False)
    monkeypatch.setenv("WARMONITOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WARMONITOR_GAZETTEER", str(settings.gazetteer))
    monkeypatch.setenv("WARMONITOR_SPACY_MODEL", settings.spacy_model)
    monkeypatch.setattr(Pipeline, "default", classmethod(lambda cls, settings=None: pipeline))  # spaCy loads once
    path = write_gold(tmp_path / "gold.jsonl", ARTICLE)
    code = cli.main(["evaluate", str(path), "--format", "json", "--shape", "cased"])
    printed, errors = capsys.readouterr()
    assert code == 0, errors
    [report] = json.loads(printed)
    assert report["shape"] == "cased" and report["articles"] == 1 and report["false_alarms"] == 0
    assert set(report["fields"]) == set(FIELDS)
    for name, figures in report["fields"].items():
        assert {"precision", "recall", "f1"} <= set(figures), name
        assert all(0.0 <= figures[key] <= 1.0 for key in ("precision", "recall", "f1")), (name, figures)
    assert report["fields"]["detection"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "gold": 2, "predicted": 2,
                                             "right": 2}


def test_cli_evaluate_of_a_bad_gold_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARMONITOR_HOME", str(tmp_path / "home"))
    path = write_gold(tmp_path / "gold.jsonl", with_event(plover_type="DETAIN"))
    code = cli.main(["evaluate", str(path), "--format", "json", "--shape", "cased"])
    _, errors = capsys.readouterr()
    assert code == 1 and errors.startswith("warmonitor: "), errors
    assert "gold.jsonl:1: " in errors and "unknown plover_type 'DETAIN'" in errors


def test_read_gold_names_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_bytes(b'{"id": "a", "text": "caf\xe9"}\n')
    with pytest.raises(GoldError, match="not UTF-8"):
        read_gold(path)
