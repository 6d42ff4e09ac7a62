"""Following feeds on both engines: good items stored once with their metadata, bad ones rejected
with their reasons beside them, nothing fetched or stored twice across rounds and restarts."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from warmonitor import api, cli
from warmonitor.errors import StreamError
from warmonitor.settings import Settings
from warmonitor.store import open_store
from warmonitor.store.schema import feed_items, rejected
from warmonitor.streams.feeds import FeedRound, read_feed_list

from .news import ATOM_TITLE, RSS_TITLE, add_mogadishu, publish
from .site import FakeClock, Site

GOOD = ("/news/kharkiv.html", "/news/dakar.html", "/news/doha.html", "/news/goma.html", "/news/bor.html")
BAD = {  # page → what the rejection says
    "/news/missing.html": "HTTP 404",
    "/news/gallery.html": "more than the cap of 20,000 bytes",
    "/news/live.html": "no main text found on the page",
    "/news/slow.html": "timed out after 0.3s",
}


@pytest.fixture
def news(site: Site) -> Site:
    return publish(site)


@pytest.fixture
def feed_list(news: Site, tmp_path: Path) -> Path:
    path = tmp_path / "feeds.txt"
    path.write_text(f"# world news\n{news.url('/rss.xml')}\n\n{news.url('/atom.xml')}  # great lakes\n"
                    "gopher://127.0.0.1/feed\n", encoding="utf-8")
    return path


@pytest.fixture
def feed_settings(settings: Settings, database_url: str) -> Settings:
    return settings.with_(db=database_url, fetch_timeout=0.3, fetch_max_bytes=20_000, fetch_host_interval=1.0,
                          fetch_tries=3, feeds_interval=900.0)


def follow(feed_list: Path, settings: Settings, clock: FakeClock, pipeline: object, once: bool = True,
           problems: list[str] | None = None) -> tuple[api.FeedsReport, list[FeedRound]]:
    rounds: list[FeedRound] = []
    report = api.feeds(feed_list, settings, once=once, on_round=rounds.append,
                       on_problem=(problems if problems is not None else []).append, clock=clock.clock(),
                       pipeline=pipeline)  # type: ignore[arg-type]
    return report, rounds


def stored(settings: Settings) -> dict[str, dict[str, Any]]:
    with open_store(settings.db) as store:
        return {str(article["url"]): article for article in store.articles()}


def table(settings: Settings, which: sa.Table) -> list[dict[str, Any]]:
    with open_store(settings.db) as store, store.engine.connect() as connection:  # type: ignore[attr-defined]
        return [dict(row._mapping) for row in connection.execute(sa.select(which))]


def test_one_round_stores_the_good_items_and_rejects_the_bad_with_their_reasons(
        news: Site, feed_list: Path, feed_settings: Settings, clock: FakeClock, pipeline: object) -> None:
    problems: list[str] = []
    report, rounds = follow(feed_list, feed_settings, clock, pipeline, problems=problems)
    assert problems == [f"{feed_list}:5: not an http(s) URL (scheme 'gopher'): 'gopher://127.0.0.1/feed'"]
    rss, atom = rounds
    assert (rss.new, rss.stored, rss.rejected, rss.error) == (8, 3, 5, None)
    assert rss.problems == ["an item with neither guid nor link ('untitled')"]
    assert (atom.new, atom.stored, atom.rejected, atom.errors) == (2, 2, 0, 0)
    assert (report.stored, report.rejected, report.failed) == (5, 5, 0)

    articles = stored(feed_settings)
    assert sorted(articles) == sorted(news.url(path) for path in GOOD)
    kharkiv = articles[news.url("/news/kharkiv.html")]
    assert kharkiv["title"] == "Overnight shelling hits Kharkiv" and kharkiv["source"] == RSS_TITLE
    assert "killing two civilians" in kharkiv["text"] and "All rights reserved" not in kharkiv["text"]
    # The item's date, not the page's (which says 2025-03-05); else the page's date.
    assert kharkiv["published"] == date(2025, 3, 3).isoformat()
    assert articles[news.url("/news/goma.html")]["published"] == "2025-02-11"
    assert articles[news.url("/news/goma.html")]["source"] == ATOM_TITLE
    assert articles[news.url("/news/bor.html")]["published"] == "2025-01-15"  # relative link, dated by its page
    assert articles[news.url("/news/dakar.html")]["published"] == "2025-03-01"

    reasons = {row["origin"]: row["reason"] for row in table(feed_settings, rejected)}
    assert reasons.keys() == {*(news.url(path) for path in BAD), "ftp://127.0.0.1/news/bulletin.txt"}
    for path, reason in BAD.items():
        assert reason in reasons[news.url(path)], (path, reasons[news.url(path)])
    assert "not an http(s) URL (scheme 'ftp')" in reasons["ftp://127.0.0.1/news/bulletin.txt"]
    items = table(feed_settings, feed_items)
    assert len(items) == 10
    assert sorted(row["status"] for row in items) == ["rejected"] * 5 + ["stored"] * 5
    assert all(row["reason"] for row in items if row["status"] == "rejected")

    # Politely: our User-Agent on every request, Retry-After obeyed, one host asked once a second.
    assert {request.user_agent for request in news.requests} == {feed_settings.fetch_user_agent}
    assert feed_settings.fetch_user_agent.startswith("warmonitor/")
    assert news.hits["/news/doha.html"] == 2 and 7.0 in clock.sleeps
    times = [request.at for request in news.requests]
    assert all(later - earlier >= 1.0 for earlier, later in pairwise(times)), times


class StopAtRound(FakeClock):
    """A clock whose long sleeps (between rounds) add a feed item before the third round and
    stop the run, like Ctrl-C, after it."""

    def __init__(self, site: Site) -> None:
        super().__init__()
        self.site = site
        self.rounds_slept = 0

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if seconds > 100:
            self.rounds_slept += 1
            if self.rounds_slept == 2:
                add_mogadishu(self.site)
            if self.rounds_slept == 3:
                raise KeyboardInterrupt


def test_rounds_and_a_restart_fetch_each_page_once_and_store_each_article_once(
        news: Site, feed_list: Path, feed_settings: Settings, pipeline: object) -> None:
    clock = StopAtRound(news)
    news.clock = clock
    rounds: list[FeedRound] = []
    with pytest.raises(KeyboardInterrupt):
        api.feeds(feed_list, feed_settings, on_round=rounds.append, clock=clock.clock(), pipeline=pipeline)  # type: ignore[arg-type]
    assert [(done.feed.rsplit("/", 1)[1], done.new, done.stored, done.not_modified) for done in rounds] == [
        ("rss.xml", 8, 3, False), ("atom.xml", 2, 2, False),
        ("rss.xml", 0, 0, True), ("atom.xml", 0, 0, False),  # the RSS answered 304; the Atom feed has no ETag
        ("rss.xml", 1, 1, False), ("atom.xml", 0, 0, False),  # the new item only
    ]
    between = [seconds for seconds in clock.sleeps if seconds > 100]
    assert len(between) == 3 and all(800 < seconds <= 900 for seconds in between)  # a round every 900 s
    assert news.requests[-1].path == "/atom.xml"

    # A restart: a new run on the same database fetches the feeds, and nothing else.
    before = dict(news.hits)
    report, _ = follow(feed_list, feed_settings, FakeClock(), pipeline)
    assert (report.new, report.stored, report.rejected) == (0, 0, 0)
    assert {path: count - before.get(path, 0) for path, count in news.hits.items() if count != before.get(path, 0)} == {
        "/rss.xml": 1, "/atom.xml": 1}

    pages = {path: count for path, count in news.hits.items() if path.startswith("/news/")}
    assert pages == {**dict.fromkeys(GOOD, 1), **dict.fromkeys(BAD, 1), "/news/doha.html": 2, "/news/mogadishu.html": 1}
    articles = stored(feed_settings)
    assert len(articles) == 6 and news.url("/news/mogadishu.html") in articles
    assert len(table(feed_settings, rejected)) == 5 and len(table(feed_settings, feed_items)) == 11


def test_an_item_already_stored_from_elsewhere_is_not_stored_again(
        news: Site, feed_list: Path, feed_settings: Settings, clock: FakeClock, pipeline: object) -> None:
    follow(feed_list, feed_settings, clock, pipeline)
    with open_store(feed_settings.db) as store, store.engine.begin() as connection:  # type: ignore[attr-defined]
        connection.execute(sa.delete(feed_items))  # the memory lost; the articles kept
    report, _ = follow(feed_list, feed_settings, FakeClock(), pipeline)
    assert (report.new, report.stored, report.duplicates) == (10, 0, 5)
    assert len(stored(feed_settings)) == 5


def test_the_feed_list_reads_urls_comments_and_says_which_lines_are_not_feeds(tmp_path: Path) -> None:
    path = tmp_path / "feeds.txt"
    path.write_text("# comment\n\nhttps://example.org/rss  # a note\nhttps://example.org/rss\n"
                    "example.org/atom\nhttps://a.example/x https://b.example/y\n", encoding="utf-8")
    listed = read_feed_list(path)
    assert listed.urls == ["https://example.org/rss"]
    assert listed.problems == [f"{path}:5: not an http(s) URL (scheme 'missing'): 'example.org/atom'",
                               f"{path}:6: one URL a line, found 2 words"]
    with pytest.raises(StreamError, match="no feed list"):
        read_feed_list(tmp_path / "absent.txt")


def test_a_feed_that_cannot_be_read_is_one_error_and_the_others_go_on(
        news: Site, tmp_path: Path, feed_settings: Settings, clock: FakeClock, pipeline: object) -> None:
    path = tmp_path / "feeds.txt"
    path.write_text(f"{news.url('/gone.xml')}\n{news.url('/news/dakar.html')}\n{news.url('/atom.xml')}\n", encoding="utf-8")
    report, rounds = follow(path, feed_settings, clock, pipeline)
    gone, page, atom = rounds
    assert gone.error == "HTTP 404 Not Found" and page.error is not None and "not an RSS or Atom feed" in page.error
    assert atom.stored == 2 and report.failed == 2


# --- the command ----------------------------------------------------------------------------------------

@pytest.fixture
def cli_env(tmp_path: Path, settings: Settings, pipeline: object, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``cli.main`` on a fresh database, the session's gazetteer and pipeline, and no waiting
    between requests (the clock is real here)."""
    from warmonitor.pipeline import Pipeline
    from warmonitor.settings import SETTINGS

    for setting in SETTINGS:
        monkeypatch.delenv(f"WARMONITOR_{setting.name.upper()}", raising=False)
    monkeypatch.setenv("WARMONITOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WARMONITOR_DB", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    monkeypatch.setenv("WARMONITOR_GAZETTEER", str(settings.gazetteer))
    monkeypatch.setenv("WARMONITOR_FETCH_HOST_INTERVAL", "0")
    monkeypatch.setenv("WARMONITOR_FETCH_TIMEOUT", "0.3")
    monkeypatch.setenv("WARMONITOR_WORKERS", "1")  # analysed in this process, by the session's pipeline
    monkeypatch.setattr(Pipeline, "default", classmethod(lambda cls, settings=None: pipeline))
    return tmp_path


def test_the_feeds_command_prints_a_line_per_feed(cli_env: Path, news: Site, capsys: pytest.CaptureFixture[str]) -> None:
    path = cli_env / "feeds.txt"
    path.write_text(f"{news.url('/atom.xml')}\nnot a url\n", encoding="utf-8")
    assert cli.main(["feeds", str(path), "--once"]) == 0
    out, err = capsys.readouterr()
    (line,) = out.splitlines()
    assert re.fullmatch(rf"{re.escape(news.url('/atom.xml'))}: 2 new, 2 stored \(\d+ event\(s\)\), 0 already stored, "
                        r"0 rejected, 0 error\(s\)", line), line
    assert f"skipped {path}:2: one URL a line, found 3 words" in err
    assert cli.main(["feeds", str(path), "--once"]) == 0
    assert capsys.readouterr().out.startswith(f"{news.url('/atom.xml')}: 0 new, 0 stored")


def test_the_feeds_command_fails_when_no_feed_can_be_read(cli_env: Path, news: Site,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = cli_env / "feeds.txt"
    path.write_text(f"{news.url('/gone.xml')}\n", encoding="utf-8")
    assert cli.main(["feeds", str(path), "--once"]) == 1
    out, err = capsys.readouterr()
    assert f"{news.url('/gone.xml')}: not read: HTTP 404" in out and "no feed could be read" in err
    assert cli.main(["feeds", str(cli_env / "absent.txt"), "--once"]) == 1
    assert "no feed list at" in capsys.readouterr().err
    (cli_env / "empty.txt").write_text("# nothing yet\n", encoding="utf-8")
    assert cli.main(["feeds", str(cli_env / "empty.txt")]) == 1
    assert "no feed URL in" in capsys.readouterr().err


def test_a_page_the_extractor_chokes_on_costs_only_its_item(news: Site, clock: FakeClock, tmp_path: Path) -> None:
    from warmonitor.errors import BadArticle
    from warmonitor.streams.feeds import FeedFollower, Page, extract_page
    from warmonitor.streams.fetch import Fetcher, FetchPolicy

    def extract(body: bytes, url: str) -> Page:
        if url.endswith("/goma.html"):
            raise ValueError("unbalanced markup")
        return extract_page(body, url)

    handed: list[object] = []

    def ingest(records: list) -> api.IngestReport:  # the records as analysis would get them, no pipeline
        handed.extend(records)
        return api.IngestReport(articles=sum(not isinstance(r, BadArticle) for r in records),
                                rejected=[r for r in records if isinstance(r, BadArticle)])

    with open_store(f"sqlite:///{tmp_path / 'items.sqlite'}") as store:
        follower = FeedFollower(store, Fetcher(FetchPolicy("warmonitor/test"), clock.clock()), ingest, extract)
        done = follower.round(news.url("/atom.xml"))
        assert (done.new, done.stored, done.rejected) == (2, 1, 1)
        (bad,) = [record for record in handed if isinstance(record, BadArticle)]
        assert bad.origin == news.url("/news/goma.html")
        assert bad.reason == "the page could not be read: ValueError: unbalanced markup"
        assert store.seen_items(news.url("/atom.xml"), ["urn:example:goma-1", "urn:example:bor-1"]) == {
            "urn:example:goma-1", "urn:example:bor-1"}
