"""Command line: extract, ingest, events, explain, settings; exit codes; the README covers it all."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from warmonitor import cli
from warmonitor.settings import SETTINGS, Settings

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

# Short news-style articles written for these tests.
SYRIA = (
    "Syrian government forces shelled rebel positions near Idlib on Monday, a monitoring group said. "
    "Rebels fired rockets at an army base near Hama."
)
KENYA = "Police fired tear gas at protesters in Nairobi on Sunday, witnesses said."


@pytest.fixture
def cli_env(tmp_path: Path, settings: Settings, pipeline: object, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Environment for ``cli.main``: a fresh database, the session gazetteer and spaCy pipeline."""
    from warmonitor.pipeline import Pipeline

    for setting in SETTINGS:
        monkeypatch.delenv(f"WARMONITOR_{setting.name.upper()}", raising=False)
    monkeypatch.setenv("WARMONITOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WARMONITOR_DB", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    monkeypatch.setenv("WARMONITOR_GAZETTEER", str(settings.gazetteer))
    monkeypatch.setenv("WARMONITOR_SPACY_MODEL", settings.spacy_model)
    # Every command builds Pipeline.default(settings); reuse the session's so spaCy loads once.
    monkeypatch.setattr(Pipeline, "default", classmethod(lambda cls, settings=None: pipeline))
    return tmp_path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "syria.jsonl").write_text(json.dumps({"text": SYRIA, "date": "2024-01-02"}) + "\n", encoding="utf-8")
    (folder / "kenya.txt").write_text(KENYA, encoding="utf-8")
    (folder / "broken.jsonl").write_text('{"text": "never closed\n', encoding="utf-8")
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


# --- extract -------------------------------------------------------------------------------------------

def test_extract_jsonl(cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "article.txt"
    path.write_text(SYRIA, encoding="utf-8")
    code, out, _ = run(capsys, "extract", str(path), "--published", "2024-01-02")
    assert code == 0
    records = jsonl(out)
    assert records
    shelling = next(r for r in records if r["trigger"] == "shelled")
    assert shelling["plover_type"] == "ASSAULT"
    assert shelling["actor1"]["country"] == "SYR"
    assert shelling["location"]["country"] == "SY"
    assert shelling["date"] == "2024-01-01"
    assert shelling["attribution"] == "a monitoring group"
    start, end = shelling["span"]
    assert SYRIA[start:end] == shelling["sentence"]


def test_extract_csv_matches_jsonl(cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "article.txt"
    path.write_text(SYRIA, encoding="utf-8")
    _, out, _ = run(capsys, "extract", str(path), "--published", "2024-01-02")
    records = jsonl(out)
    code, out, _ = run(capsys, "extract", str(path), "--published", "2024-01-02", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["id"] for row in rows] == [record["id"] for record in records]
    assert {"actor1.name", "actor1.country", "location.lat", "location.country", "plover_type"} <= set(rows[0])
    assert rows[0]["actor1.country"] == records[0]["actor1"]["country"]


def test_extract_reports_skipped_articles(cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text("not json\n" + json.dumps({"text": KENYA, "date": "2024-01-01"}) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "extract", str(path))
    assert code == 0
    assert "skipped" in err and "malformed JSON" in err
    assert {record["trigger"] for record in jsonl(out)} >= {"fired"}


def test_extract_missing_file_fails_with_a_message(cli_env: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "extract", str(tmp_path / "missing.txt"))
    assert code == 1
    assert "no such file" in err
    assert "Traceback" not in err


# --- ingest --------------------------------------------------------------------------------------------

def test_ingest_twice_stores_nothing_new(cli_env: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from warmonitor.store import open_store

    code, out, _ = run(capsys, "ingest", str(corpus), "--published", "2024-01-01", "--no-progress")
    assert code == 0
    match = re.search(r"stored (\d+) article\(s\) and (\d+) event\(s\)", out)
    assert match and match.group(1) == "2" and int(match.group(2)) >= 2
    assert "0 already stored; 1 rejected" in out
    assert "broken.jsonl:1" in out
    with open_store(f"sqlite:///{cli_env / 'cli.sqlite'}") as store:
        first = store.counts()
    assert first["articles"] == 2 and first["rejected"] == 1

    code, out, _ = run(capsys, "ingest", str(corpus), "--published", "2024-01-01", "--no-progress")
    assert code == 0
    assert "stored 0 article(s) and 0 event(s)" in out
    assert "2 already stored" in out
    with open_store(f"sqlite:///{cli_env / 'cli.sqlite'}") as store:
        second = store.counts()
    assert {k: second[k] for k in ("articles", "sentences", "events")} == {
        k: first[k] for k in ("articles", "sentences", "events")}


def test_ingest_that_reads_nothing_fails(cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ingest", str(tmp_path / "no-such-folder"), "--no-progress")
    assert code == 1 and "no such file" in out and "no article was read" in err


def test_ingest_db_option(cli_env: Path, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.sqlite"
    code, out, _ = run(capsys, "ingest", str(corpus), "--db", f"sqlite:///{other}", "--no-progress")
    assert code == 0
    assert str(other) in out
    assert other.exists()
    assert not (cli_env / "cli.sqlite").exists()


def test_ingest_unsupported_database_fails(cli_env: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ingest", str(corpus), "--db", "postgresql://localhost/x", "--no-progress")
    assert code == 1
    assert "W401" in err


# --- events and explain --------------------------------------------------------------------------------

@pytest.fixture
def ingested(cli_env: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert cli.main(["ingest", str(corpus), "--published", "2024-01-01", "--no-progress"]) == 0
    capsys.readouterr()
    assert cli.main(["events"]) == 0
    records = jsonl(capsys.readouterr().out)
    assert len(records) >= 3
    return records


def test_events_filters(ingested: list[dict], capsys: pytest.CaptureFixture[str]) -> None:
    def query(*argv: str) -> list[dict]:
        code, out, _ = run(capsys, "events", *argv)
        assert code == 0
        return jsonl(out)

    by_type = query("--type", "ASSAULT")
    assert by_type and all(r["plover_type"] == "ASSAULT" for r in by_type)
    kenya = query("--country", "KE")
    assert kenya and all("Nairobi" in r["sentence"] for r in kenya)
    syria = query("--country", "SYR")
    assert syria and all("Nairobi" not in r["sentence"] for r in syria)
    assert {r["id"] for r in kenya}.isdisjoint({r["id"] for r in syria})
    dated = [r for r in ingested if r["date"]]
    earliest = min(r["date"] for r in dated)
    since = query("--since", earliest)
    assert len(since) == len(dated)
    assert query("--country", "Kenya") == kenya
    assert query("--until", "1999-12-31") == []
    assert all(r["date"] >= "2024-01-01" for r in query("--since", "2024-01-01"))
    police = query("--actor", "Police")
    assert police and all("police" in json.dumps([r["actor1"], r["actor2"]]).lower() for r in police)
    assert len(query("--limit", "1")) == 1
    code, out, _ = run(capsys, "events", "--type", "ASSAULT", "--format", "csv")
    assert code == 0
    assert len(list(csv.DictReader(io.StringIO(out)))) == len(by_type)


def test_explain_an_event(ingested: list[dict], capsys: pytest.CaptureFixture[str]) -> None:
    record = ingested[0]
    code, out, _ = run(capsys, "explain", record["id"])
    assert code == 0
    assert record["id"] in out
    assert "why:" in out and "reports:" in out
    assert "plover_type" in out
    code, out, _ = run(capsys, "explain", record["id"], "--json")
    assert code == 0
    explained = json.loads(out)
    assert explained["id"] == record["id"]
    assert any(item["field"] == "plover_type" for item in explained["evidence"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["events", "--type", "BOMBING"], "neither a PLOVER type"), (["events", "--country", "Atlantis"], "not an ISO 3166"),
     (["events", "--limit", "0"], "1 or more"), (["events", "--limit", "-3"], "1 or more"),
     (["events", "--status", "real"], "not one of"), (["explain", ""], "first 4 characters"),
     (["export", "--format", "csv", "--type", "war"], "neither a PLOVER type"), (["articles", "--limit", "0"], "1 or more")],
)
def test_values_no_event_could_match_are_usage_errors(ingested: list[dict], capsys: pytest.CaptureFixture[str],
                                                       argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err


def test_events_are_canonical_newest_first_and_mentions_are_each_articles(ingested: list[dict],
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    dates = [r["date"] for r in ingested if r["date"]]
    assert dates == sorted(dates, reverse=True)
    assert all({"num_articles", "num_sources", "mentions", "source", "url", "published"} <= set(r) for r in ingested)
    code, out, _ = run(capsys, "events", "--mentions")
    mentions = jsonl(out)
    assert code == 0 and len(mentions) >= len(ingested)
    assert {m["canonical_id"] for m in mentions} == {r["id"] for r in ingested}
    code, out, _ = run(capsys, "events", "--country", "Kenya", "--status", "occurred")
    assert code == 0 and all(r["status"] == "occurred" for r in jsonl(out))


def test_articles_lists_what_was_stored(ingested: list[dict], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "articles")
    listed = jsonl(out)
    assert code == 0 and listed
    assert sum(a["events"] for a in listed) >= len(ingested)
    code, out, _ = run(capsys, "articles", "--format", "csv")
    assert {"id", "title", "url", "source", "published", "shape", "text", "events"} <= set(next(csv.DictReader(io.StringIO(out))))


def test_export_writes_every_format_one_row_per_canonical_event(ingested: list[dict], tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    import pandas as pd
    import pyarrow.parquet as pq

    for name in ("acled-csv", "csv", "geojson", "jsonl", "parquet", "plover-json"):
        out = tmp_path / f"events.{name}"
        code, _, err = run(capsys, "export", "--format", name, "--out", str(out))
        assert code == 0, err
        if name == "acled-csv":
            frame = pd.read_csv(out)
            assert len(frame) == len(ingested)
            assert list(frame.columns[:3]) == ["event_id_cnty", "event_date", "year"]
        elif name == "csv":
            assert len(pd.read_csv(out)) == len(ingested)
        elif name == "geojson":
            assert len(json.loads(out.read_text())["features"]) == len(ingested)
        elif name == "jsonl":
            assert len(jsonl(out.read_text())) == len(ingested)
        elif name == "parquet":
            assert pq.read_table(out).num_rows == len(ingested)
        else:
            assert len(json.loads(out.read_text())) == len(ingested)


def test_recode_codes_the_stored_articles_again_in_place(ingested: list[dict], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "recode", "--no-progress")
    assert code == 0 and "re-coded" in out
    code, out, _ = run(capsys, "events")
    assert sorted(r["id"] for r in jsonl(out)) == sorted(r["id"] for r in ingested)  # same code: same events


def test_explain_a_missing_event(ingested: list[dict], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", "ffffffffffffffff")
    assert code == 1
    assert out == ""
    assert "no event" in err


# --- usage and settings --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "argv",
    [[], ["no-such-command"], ["events", "--since", "not-a-date"], ["extract"], ["events", "--format", "xml"]],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        cli.main(argv)
    assert raised.value.code == 2
    assert "usage" in capsys.readouterr().err


def test_settings_lists_every_setting(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "settings")
    assert code == 0
    documented = Settings.documented()
    assert set(documented) == {setting.name for setting in SETTINGS}
    for name, help_text in documented.items():
        assert re.search(rf"^{name} = ", out, flags=re.M), name
        assert help_text in out
        assert f"WARMONITOR_{name.upper()}" in out
    assert f"db = sqlite:///{cli_env / 'cli.sqlite'}" in out


def test_bad_setting_value_fails(cli_env: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("WARMONITOR_BATCH_SIZE", "many")
    code, _, err = run(capsys, "settings")
    assert code == 1
    assert "batch_size" in err


def _subcommands() -> list[str]:
    import argparse

    parser = cli.build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


def test_subcommands_are_known() -> None:
    assert _subcommands() == ["articles", "batch", "evaluate", "events", "explain", "export", "extract", "feeds",
                              "geoparse", "ingest", "load", "recode", "serve", "settings", "setup", "train", "watch"]


@pytest.mark.skipif(not README.exists(), reason="README.md not written yet")
def test_readme_documents_every_command_and_setting() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [f"command {name}" for name in _subcommands() if not re.search(rf"warmonitor {name}\b", text)]
    missing += [f"setting {name}" for name in Settings.documented() if f"`{name}`" not in text]
    assert not missing, f"README.md does not mention: {', '.join(missing)}"


def test_queries_on_a_missing_database_say_so_and_create_nothing(cli_env: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    missing = cli_env / "nowhere.sqlite"
    for argv in (("events", "--db", f"sqlite:///{missing}"), ("explain", "abc", "--db", str(missing))):
        code, _, err = run(capsys, *argv)
        assert code == 1 and "no database" in err and "Traceback" not in err
    assert not missing.exists()


def test_geoparse_prints_toponyms_as_jsonl_or_geojson(cli_env: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "kenya.txt"
    article.write_text(KENYA, encoding="utf-8")
    assert cli.main(["geoparse", str(article)]) == 0
    (nairobi,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (nairobi["name"], nairobi["country"], nairobi["feature"]) == ("Nairobi", "KE", "city")
    assert KENYA[nairobi["span"][0]:nairobi["span"][1]] == "Nairobi" and nairobi["origin"] == str(article)
    assert cli.main(["geoparse", "--format", "geojson", str(article)]) == 0
    (feature,) = json.loads(capsys.readouterr().out)["features"]
    assert feature["geometry"]["coordinates"] == [nairobi["lon"], nairobi["lat"]]


def test_geoparse_of_nothing_readable_fails(cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  ", encoding="utf-8")
    assert cli.main(["geoparse", str(empty)]) == 1
    assert "skipped" in capsys.readouterr().err


def test_serve_refuses_a_bad_port_and_a_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "serve", "--port", "70000", "--db", f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert code == 2 and "--port" in err
    code, _, err = run(capsys, "serve", "--db", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    assert code == 1 and "no database" in err and not (tmp_path / "missing.sqlite").exists()


def test_ctrl_c_is_a_message_and_exit_130(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(*_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.COMMANDS, "settings", interrupted)
    code, _, err = run(capsys, "settings")
    assert code == 130 and err.strip() == "warmonitor settings: interrupted"
