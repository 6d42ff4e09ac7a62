"""`warmonitor batch` on a local Dask cluster and `warmonitor load`: the same database as ingest,
bad records kept as rejections, failed partitions reported and retried, re-runs resumed."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from warmonitor import api, cli
from warmonitor.batch import TABLES, partitions_of
from warmonitor.settings import Settings

SAMPLES = Path(__file__).resolve().parents[1] / "warmonitor" / "data" / "samples" / "articles.jsonl"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample articles with a broken line in the middle."""
    lines = [line for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()][:8]
    lines.insert(4, '{"text": "a line cut short')
    path = tmp_path_factory.mktemp("corpus") / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def dump(settings: Settings, mentions: bool) -> list[dict[str, object]]:
    return list(api.events(settings, mentions=mentions))


@pytest.fixture(scope="module")
def batch_run(corpus: Path, settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("batch") / "out"
    report = api.batch([str(corpus)], out, settings, workers=2, partition_size=3)
    return out, report


def test_batch_writes_every_table_per_partition(batch_run: tuple[Path, object]) -> None:
    out, report = batch_run
    assert report.partitions == 3 and not report.failed  # type: ignore[attr-defined]
    assert report.articles == 8 and report.rejected == 1  # type: ignore[attr-defined]
    done, missing = partitions_of(out)
    assert done == ["part-00000", "part-00001", "part-00002"] and missing == []
    for table in TABLES:
        assert sorted(path.stem for path in (out / table).glob("*.parquet")) == done
    events = pq.read_table(out / "events").to_pandas()
    mentions = pq.read_table(out / "mentions").to_pandas()
    assert len(events) == len(mentions) == report.events > 0  # type: ignore[attr-defined]
    assert set(mentions["event_id"]) == set(events["id"])
    rejected = pq.read_table(out / "rejected").to_pylist()
    assert len(rejected) == 1 and ":5" in rejected[0]["origin"] and rejected[0]["reason"]


def test_load_gives_the_database_ingest_gives(batch_run: tuple[Path, object], corpus: Path, settings: Settings,
                                              pipeline: object, tmp_path: Path) -> None:
    out, _ = batch_run
    loaded = settings.with_(db=f"sqlite:///{tmp_path / 'loaded.sqlite'}")
    ingested = settings.with_(db=f"sqlite:///{tmp_path / 'ingested.sqlite'}")
    report = api.load(out, loaded)
    assert (report.articles, report.rejected, report.duplicates) == (8, 1, 0)
    api.ingest([str(corpus)], ingested)
    for mentions in (False, True):
        assert dump(loaded, mentions) == dump(ingested, mentions)
    again = api.load(out, loaded)  # loading twice stores nothing twice
    assert (again.articles, again.duplicates) == (0, 8)
    assert dump(loaded, False) == dump(ingested, False)


def test_a_rerun_resumes_and_redoes_only_what_is_missing(batch_run: tuple[Path, object], corpus: Path,
                                                           settings: Settings) -> None:
    out, _ = batch_run
    again = api.batch([str(corpus)], out, settings, workers=1, partition_size=3)
    assert (again.partitions, again.resumed, again.articles) == (3, 3, 0)
    (out / "_done" / "part-00001.json").unlink()
    redone = api.batch([str(corpus)], out, settings, workers=1, partition_size=3)
    assert (redone.resumed, redone.articles, redone.rejected) == (2, 2, 1)  # records 4-6: the broken line is 5th
    with pytest.raises(Exception, match="partitions of 3"):
        api.batch([str(corpus)], out, settings, workers=1, partition_size=4)


def test_failed_partitions_are_reported_kept_and_retried(corpus: Path, settings: Settings, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    broken = settings.with_(spacy_model="no_such_spacy_pipeline")  # every worker fails to build its pipeline
    report = api.batch([str(corpus)], out, broken, workers=1, partition_size=5, retries=1)
    assert sorted(report.failed) == ["part-00000", "part-00001"] and report.articles == 0
    assert all("no_such_spacy_pipeline" in reason for reason in report.failed.values())
    assert partitions_of(out) == ([], ["part-00000", "part-00001"])
    code = cli.main(["load", str(out), "--db", f"sqlite:///{tmp_path / 'db.sqlite'}"])
    assert code == 1 and "never finished" in capsys.readouterr().err
    fixed = api.batch([str(corpus)], out, settings, workers=1, partition_size=5)
    assert not fixed.failed and fixed.articles == 8
    assert partitions_of(out) == (["part-00000", "part-00001"], [])
    assert json.loads((out / "_done" / "part-00000.json").read_text())["articles"] == 4


def test_batch_cli_refuses_bad_options_and_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["batch", "x.jsonl", "--out", str(tmp_path), "--workers", "0"])
    assert exit_info.value.code == 2
    assert cli.main(["load", str(tmp_path)]) == 1
    assert "not a batch folder" in capsys.readouterr().err


def test_batch_of_nothing_readable_fails_like_ingest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["batch", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "out"), "--workers", "1"])
    captured = capsys.readouterr()
    assert code == 1 and "no article was read" in captured.err
    assert "no such file" in captured.out
