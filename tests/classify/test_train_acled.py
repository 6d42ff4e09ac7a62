"""A user's ACLED export: reading it, training a typer from it, the CLI, and the pipeline using it."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest

from tests.helpers import analyze
from warmonitor import api, cli
from warmonitor.classify.model import LinearModel, ModelError
from warmonitor.classify.train import read_acled
from warmonitor.errors import SettingsError
from warmonitor.pipeline import Pipeline
from warmonitor.settings import SETTINGS, Settings

# ACLED-style notes invented for these tests: (notes, event_type, sub_event_type).
GOOD_ROWS: list[tuple[str, str, str]] = [
    ("On 3 March 2023, in Karkara, armed herders clashed with a vigilante group over grazing land. 2 fatalities.",
     "Battles", "Armed clash"),
    ("On 9 April 2023, near Ouro Sawa, soldiers exchanged fire with jihadist fighters at a checkpoint. 5 fatalities.",
     "Battles", "Armed clash"),
    ("On 21 May 2023, in Lower Tessit, rival militia factions fought for control of a well. 0 fatalities.",
     "Battles", "Armed clash"),
    ("On 2 June 2023, in Ndeli, police arrested four members of a teachers' union at their office. [size=no report]",
     "Strategic developments", "Arrests"),
    ("On 14 June 2023, in Bamoro, gendarmes detained a local radio presenter after a call-in show.",
     "Strategic developments", "Arrests"),
    ("On 30 June 2023, in Kinzala, security forces arrested the deputy mayor on charges of sedition.",
     "Strategic developments", "Arrests"),
    ("On 5 July 2023, in Ndeli, market traders marched peacefully to the town hall against a new stall tax.",
     "Protests", "Peaceful protest"),
    ("On 11 July 2023, in Bamoro, nurses held a sit-in outside the district hospital over unpaid wages.",
     "Protests", "Peaceful protest"),
    ("On 19 July 2023, in Kinzala, students demonstrated without incident against the closure of a library.",
     "Protests", "Peaceful protest"),
]
NO_NOTES = ("", "Battles", "Armed clash")
UNKNOWN = ("On 1 August 2023, in Karkara, a lorry overturned on the bridge.", "Accidents", "Road accident")
ROWS = [*GOOD_ROWS[:4], NO_NOTES, *GOOD_ROWS[4:7], UNKNOWN, *GOOD_ROWS[7:]]  # bad rows at CSV lines 6 and 10


def write_csv(path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["event_id_cnty", "event_date", "event_type", "sub_event_type", "notes"])
        for number, (notes, event_type, sub_type) in enumerate(ROWS, 1):
            writer.writerow([f"TST{number}", "2023-01-01", event_type, sub_type, notes])
    return path


def write_jsonl(path: Path) -> Path:
    lines = [json.dumps({"notes": notes, "event_type": event_type, "sub_event_type": sub_type})
             for notes, event_type, sub_type in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "acled.csv")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ACLED-trained model for the tests that only use it."""
    folder = tmp_path_factory.mktemp("acled")
    api.train_acled(write_csv(folder / "acled.csv"), folder / "model")
    return folder / "model"


def expected_labels() -> list[str]:
    return [sub_type for _, _, sub_type in GOOD_ROWS]


def test_read_acled_csv_keeps_good_rows_and_reports_bad_ones(export: Path) -> None:
    rows = read_acled(export)
    assert rows.labels == expected_labels()
    assert len(rows.texts) == len(GOOD_ROWS)
    assert rows.rejected == [("acled.csv:6", "no notes"), ("acled.csv:10", "unknown sub_event_type 'Road accident'")]
    assert not any("[size=" in text for text in rows.texts), "the coder's size tag is stripped"
    assert rows.texts[3].endswith("at their office.")


def test_read_acled_jsonl_gives_the_same_rows(tmp_path: Path, export: Path) -> None:
    from_csv = read_acled(export)
    path = write_jsonl(tmp_path / "acled.jsonl")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    rows = read_acled(path)
    assert (rows.texts, rows.labels) == (from_csv.texts, from_csv.labels)
    assert [where for where, _ in rows.rejected] == ["acled.jsonl:5", "acled.jsonl:9", "acled.jsonl:12"]
    assert rows.rejected[0][1] == "no notes" and "Road accident" in rows.rejected[1][1]
    assert rows.rejected[2][1].startswith("not JSON")


def test_api_train_acled_writes_a_typer_with_its_card(tmp_path: Path, export: Path) -> None:
    card = api.train_acled(export, tmp_path / "model")
    assert card["trained_on"]["rows"] == len(GOOD_ROWS)
    assert card["trained_on"]["rejected"] == 2
    assert card["trained_on"]["labels"] == {"Armed clash": 3, "Arrests": 3, "Peaceful protest": 3}
    assert card["rejected_rows"] == ["acled.csv:6: no notes", "acled.csv:10: unknown sub_event_type 'Road accident'"]
    written = json.loads((tmp_path / "model" / "card.json").read_text(encoding="utf-8"))
    assert written["trained_on"]["rows"] == len(GOOD_ROWS) and written["trained_on"]["rejected"] == 2
    assert written["command"] == "warmonitor train acled"
    model = LinearModel.load(tmp_path / "model")
    assert model.classes == ("Armed clash", "Arrests", "Peaceful protest", "none")  # "none": the project's non-events
    assert model.detects and written["trained_on"]["project_non_events"] > 1000


def test_train_acled_needs_two_sub_types(tmp_path: Path) -> None:
    from warmonitor.classify.model import ModelError

    path = tmp_path / "one.jsonl"
    path.write_text("".join(json.dumps({"notes": n, "sub_event_type": s}) + "\n" for n, _, s in GOOD_ROWS[:3]),
                    encoding="utf-8")
    with pytest.raises(ModelError, match="at least two sub-event types"):
        api.train_acled(path, tmp_path / "model")


def test_cli_train_acled(tmp_path: Path, export: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    for setting in SETTINGS:
        monkeypatch.delenv(f"WARMONITOR_{setting.name.upper()}", raising=False)
    monkeypatch.setenv("WARMONITOR_HOME", str(tmp_path / "home"))
    out = tmp_path / "cli-model"
    code = cli.main(["train", "acled", str(export), "--out", str(out)])
    printed, errors = capsys.readouterr()
    assert code == 0, errors
    assert f"trained an event typer on {len(GOOD_ROWS)} ACLED notes (2 rows left out) into {out}" in printed
    assert "left out acled.csv:6: no notes" in printed
    assert "left out acled.csv:10: unknown sub_event_type 'Road accident'" in printed
    assert f"WARMONITOR_EVENT_MODEL={out}" in printed
    assert (out / "model.npz").exists() and (out / "card.json").exists()


def test_cli_train_acled_of_a_missing_file_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARMONITOR_HOME", str(tmp_path / "home"))
    code = cli.main(["train", "acled", str(tmp_path / "absent.csv"), "--out", str(tmp_path / "model")])
    _, errors = capsys.readouterr()
    assert code == 1 and "absent.csv" in errors
    assert not (tmp_path / "model").exists()


def test_pipeline_types_with_the_acled_model(pipeline: Pipeline, settings: Settings, trained: Path) -> None:
    custom = settings.with_(event_model=trained)
    # The session's resources with the new settings: the same spaCy pipeline, a fresh classifier.
    acled_pipeline = Pipeline(dataclasses.replace(pipeline.resources, settings=custom))
    name = LinearModel.load(trained).card["name"]
    assert name == "ACLED-trained detector and typer (acled.csv)"
    text = "Police arrested 12 opposition activists in Kampala on Monday. Soldiers clashed with rebels near Gulu."
    analysis = analyze(acled_pipeline, text)
    verdicts = [sentence.verdict for sentence in analysis.sentences]
    assert verdicts and all(v is not None and v.model == name for v in verdicts)
    assert all(label in {"Armed clash", "Arrests", "Peaceful protest"} for v in verdicts if v for label, _ in v.ranked)
    shipped = analyze(pipeline, text)
    assert all(s.verdict is not None and s.verdict.model != name for s in shipped.sentences)
    # The ACLED model also detects (ACLED's notes against the project's non-events): its own odds.
    for mine, theirs in zip(analysis.sentences, shipped.sentences, strict=True):
        assert mine.verdict is not None and theirs.verdict is not None
        assert mine.verdict.event_probability != pytest.approx(theirs.verdict.event_probability)


def test_rows_that_cannot_be_read_are_left_out_alone(tmp_path: Path) -> None:
    lines = [b'{"notes": "Soldiers clashed with rebels near Goma.", "sub_event_type": "Armed clash"}',
             b'{"notes": "Rebels attacked a caf\xe9 in Beni.", "sub_event_type": "Attack"}',  # not UTF-8
             b'"just a string"', b"{not json", b'{"notes": "Police arrested six activists.", "sub_event_type": "Arrests"}']
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    rows = read_acled(path)
    assert rows.labels == ["Armed clash", "Arrests"]
    assert rows.rejected == [("mixed.jsonl:2", "notes are not UTF-8 text"), ("mixed.jsonl:3", "not an object"),
                             ("mixed.jsonl:4", "not JSON: Expecting property name enclosed in double quotes")]


def test_a_model_folder_that_cannot_be_written_is_a_clear_error(tmp_path: Path, export: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot write a model"):
        api.train_acled(export, blocker / "model")


def test_event_model_must_be_a_model_folder(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="is not a model folder"):
        Settings.load(event_model=str(tmp_path))
