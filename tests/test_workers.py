"""The worker pool: the same coding as one process, order kept, refusals in place, crashes survived."""

from __future__ import annotations

import json
import os
from pathlib import Path

from warmonitor.errors import BadArticle
from warmonitor.model import Article, CodedArticle
from warmonitor.pipeline import Pipeline
from warmonitor.settings import Settings
from warmonitor.workers import Coded, PipelinePool

SAMPLES = Path(__file__).resolve().parents[1] / "warmonitor" / "data" / "samples" / "articles.jsonl"
CRASH = "CRASH THIS WORKER"


def sample_articles(count: int) -> list[Article]:
    rows = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Article(row["text"], None, row.get("title"), origin=f"sample:{n}") for n, row in enumerate(rows[:count])]


def no_start(settings: Settings) -> None:
    """A worker that needs no pipeline (the crash tests do not analyse anything)."""


def echo_or_die(articles: list[Article]) -> list[Coded]:
    """Dies like a worker killed by the kernel on the marked article; codes the others as empty."""
    if any(CRASH in article.text for article in articles):
        os._exit(9)
    return [CodedArticle(article, "raw", [], [], []) for article in articles]


def test_pool_codes_as_one_process_does_in_input_order(settings: Settings, pipeline: Pipeline) -> None:
    articles: list[Article | BadArticle] = list(sample_articles(6))
    articles.insert(3, BadArticle("bad.jsonl:4", "not JSON"))
    expected = [item if isinstance(item, BadArticle) else CodedArticle.of(item)
                for item in pipeline.analyze_many(articles)]
    with PipelinePool(settings, processes=2, batch_size=2) as pool:
        got = list(pool.analyze_many(articles))
    assert [type(item) for item in got] == [type(item) for item in expected]
    assert got[3] is articles[3]
    coded = [(item.article.id, item.records, item.sentences) for item in got if isinstance(item, CodedArticle)]
    assert coded == [(item.article.id, item.records, item.sentences) for item in expected if isinstance(item, CodedArticle)]
    assert sum(len(item.records) for item in got if isinstance(item, CodedArticle)) > 0


def test_a_worker_crash_costs_only_the_article_that_caused_it(settings: Settings) -> None:
    articles = [Article(f"Report number {n}.", origin=f"in:{n}") for n in range(9)]
    articles[4] = Article(f"Report four. {CRASH}", origin="in:4")
    with PipelinePool(settings, processes=2, batch_size=3, work=echo_or_die, start=no_start) as pool:
        got = list(pool.analyze_many(articles))
    assert [item.origin if isinstance(item, BadArticle) else item.article.origin for item in got] == [
        f"in:{n}" for n in range(9)]
    refused = [item for item in got if isinstance(item, BadArticle)]
    assert [item.origin for item in refused] == ["in:4"]
    assert "worker process died" in refused[0].reason


def test_recode_on_two_workers_changes_nothing_when_nothing_changed(settings: Settings, pipeline: Pipeline,
                                                                    tmp_path: Path) -> None:
    from warmonitor import api

    one = settings.with_(db=f"sqlite:///{tmp_path / 'db.sqlite'}", workers=1)
    api.ingest_records(sample_articles(4), one, pipeline=pipeline)
    before = list(api.events(one, mentions=True))
    report = api.recode(one.with_(workers=2))
    assert report.articles == 4 and report.removed == report.added == len(before) > 0
    assert list(api.events(one, mentions=True)) == before


def test_ctrl_c_stops_an_ingest_on_workers_with_one_line_not_a_traceback_per_worker(
        settings: Settings, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as handle:
        for copy in range(20):  # long enough to be interrupted mid-run
            for article in sample_articles(14):
                handle.write(json.dumps({"text": f"Report {copy}.\n\n{article.text}"}) + "\n")
    env = {**os.environ, "WARMONITOR_WORKERS": "2", "WARMONITOR_GAZETTEER": str(settings.gazetteer)}
    process = subprocess.Popen([sys.executable, "-m", "warmonitor", "ingest", "--no-progress", str(corpus), "--db",
                                f"sqlite:///{tmp_path / 'db.sqlite'}"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(8)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C reaches the whole group
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err and err.strip().endswith("warmonitor ingest: interrupted")
