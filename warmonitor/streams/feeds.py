"""Follow RSS and Atom feeds: each new item's page fetched, its main text kept, its article stored once.

One round, for each feed:

1. fetch the feed politely (:mod:`warmonitor.streams.fetch`), conditionally after the first time
   (ETag, Last-Modified): an unchanged feed costs one short answer;
2. parse it with feedparser, from the bytes fetched (feedparser never fetches anything itself);
3. keep the items the store has not seen (by guid, else link), so a later round or a restart
   never fetches a page twice;
4. fetch each new item's page and extract its main text with trafilatura, again from the bytes
   fetched; the item's title, link and date, and the feed's title, become the article's metadata;
5. hand the articles to the ingest function (analysed and stored once, by article id) and
   remember every item in the store: the article it gave, or why it gave none (a page that
   failed, timed out, was too big or held no text), which is also stored as a rejected input.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warmonitor.errors import BadArticle, FetchError, StreamError
from warmonitor.ingest import check, parse_date
from warmonitor.ingest.base import MIN_ARTICLE_WORDS
from warmonitor.model import Article
from warmonitor.streams.fetch import Fetcher, check_url, host_of

if TYPE_CHECKING:
    from warmonitor.api import IngestReport
    from warmonitor.store import Store

Ingest = Callable[[list[Article | BadArticle]], "IngestReport"]

# Items whose pages are fetched and stored together: what a crash or Ctrl-C can cost to redo.
ITEMS_PER_BATCH = 16


@dataclass(frozen=True, slots=True)
class FeedList:
    """The feed URLs of a list file, in order, once each; and its lines that are not one, each
    as "FILE:LINE: why"."""

    urls: list[str]
    problems: list[str]


def read_feed_list(path: Path) -> FeedList:
    """The feeds listed in ``path``: one URL a line; blank lines and lines starting with ``#`` are
    left out, as is a ``# comment`` after the URL. A line that is no http(s) URL is a problem, not
    an error; a missing or unreadable file is a StreamError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StreamError(f"no feed list at {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise StreamError(f"cannot read the feed list {path}: {error}") from None
    urls: list[str] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if len(words) > 1 and not words[1].startswith("#"):
            problems.append(f"{path}:{number}: one URL a line, found {len(words)} words")
            continue
        try:
            url = check_url(words[0])
        except FetchError as error:
            problems.append(f"{path}:{number}: {error.reason}: {words[0][:80]!r}")
            continue
        if url not in urls:
            urls.append(url)
    return FeedList(urls, problems)


@dataclass
class FeedRound:
    """What one round did for one feed."""

    feed: str
    new: int = 0  # items not seen before
    stored: int = 0  # articles stored now
    events: int = 0
    duplicates: int = 0  # articles the store already held (from another feed, or a file)
    rejected: int = 0  # new items that gave no article
    error: str | None = None  # why the feed itself could not be read
    problems: list[str] = field(default_factory=list)  # items it holds that cannot be followed (no guid, no link)
    not_modified: bool = False

    @property
    def errors(self) -> int:
        return len(self.problems) + (self.error is not None)


@dataclass(frozen=True, slots=True)
class Item:
    """One feed item, as far as the feed tells."""

    key: str  # guid, else link
    link: str | None
    title: str | None
    published: date | None

    @property
    def origin(self) -> str:
        return self.link or self.key


@dataclass(frozen=True, slots=True)
class Page:
    """What trafilatura found on a page: its main text, and the date the page gives, if any."""

    text: str | None
    published: date | None


def extract_page(body: bytes, url: str) -> Page:
    """The main text of an HTML page, from its bytes (trafilatura fetches nothing here; ``url``
    only tells it where the page came from)."""
    import trafilatura  # loaded on first use: feeds are the only callers

    found = trafilatura.extract(body, url=url, output_format="json", with_metadata=True, include_comments=False,
                                include_tables=False)
    if not found:
        return Page(None, None)
    data = json.loads(found)
    return Page((data.get("text") or "").strip() or None, _date(data.get("date")))


def _date(value: Any) -> date | None:
    """A date from a feed or a page, or None when there is none or it cannot be one (out of range)."""
    if isinstance(value, time.struct_time):
        try:
            value = date(value.tm_year, value.tm_mon, value.tm_mday)
        except ValueError:
            return None
    try:
        return parse_date(value)
    except ValueError:
        return None


def parse_feed(body: bytes, url: str) -> tuple[str | None, list[Item], list[str]]:
    """The feed's title, its items (each once) and what was wrong with any of them."""
    import feedparser

    # A stream, not the bytes themselves: feedparser tries to open bytes as a file name first, so a
    # server answering "/etc/passwd" would have it read that file.
    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
    if parsed.get("bozo") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise FetchError(url, f"not an RSS or Atom feed ({type(problem).__name__}: {problem})" if problem else
                         "not an RSS or Atom feed")
    items: dict[str, Item] = {}
    problems: list[str] = []
    for entry in parsed.entries:
        link = entry.get("link") or None
        key = entry.get("id") or link
        if not key:
            problems.append(f"an item with neither guid nor link ({entry.get('title', 'untitled')!r})")
            continue
        # ("updated_parsed" only when the item has one: asked for otherwise, feedparser hands back
        # the published date with a deprecation warning)
        published = _date(entry.get("published_parsed")) or (
            _date(entry.get("updated_parsed")) if "updated_parsed" in entry else None)
        items.setdefault(key, Item(key, link, entry.get("title") or None, published))
    return parsed.feed.get("title") or None, list(items.values()), problems


def _batches(items: Sequence[Item], size: int) -> Iterator[Sequence[Item]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class FeedFollower:
    """Rounds over feeds, with one fetcher (its per-host turns) and the feeds' validators kept
    between rounds."""

    def __init__(self, store: Store, fetcher: Fetcher, ingest: Ingest,
                 extract: Callable[[bytes, str], Page] = extract_page) -> None:
        self.store = store
        self.fetcher = fetcher
        self.ingest = ingest
        self.extract = extract
        self._validators: dict[str, dict[str, str]] = {}  # feed → conditional request headers

    def round(self, feed: str) -> FeedRound:
        """Fetch ``feed`` and store the articles of its new items; never raises for what a server
        does (that is the round's ``error``)."""
        result = FeedRound(feed)
        try:
            response = self.fetcher.get(feed, self._validators.get(feed))
            if response.not_modified:
                result.not_modified = True
                return result
            title, items, problems = parse_feed(response.body, response.url)
        except FetchError as error:
            result.error = error.reason
            return result
        result.problems.extend(problems)
        seen = self.store.seen_items(feed, [item.key for item in items])
        fresh = [item for item in items if item.key not in seen]
        result.new = len(fresh)
        source = title or host_of(feed)
        for batch in _batches(fresh, ITEMS_PER_BATCH):
            self._store(feed, source, batch, result)
        # Kept only once every item is handled: an interrupted round is done again in full.
        self._validators[feed] = {name: response.headers[header] for name, header in
                                  (("If-None-Match", "etag"), ("If-Modified-Since", "last-modified"))
                                  if response.headers.get(header)}
        return result

    def _store(self, feed: str, source: str, items: Sequence[Item], result: FeedRound) -> None:
        records = [self._article(item, source) for item in items]
        report = self.ingest(records)
        refused = {bad.origin: bad.reason for bad in report.rejected}
        for item, record in zip(items, records, strict=True):
            if isinstance(record, BadArticle):
                self.store.remember_item(feed, item.key, None, record.reason)
                result.rejected += 1
            elif item.origin in refused:  # the pipeline could not analyse it
                self.store.remember_item(feed, item.key, None, refused[item.origin])
                result.rejected += 1
            else:
                self.store.remember_item(feed, item.key, record.id)
        result.stored += report.articles
        result.events += report.events
        result.duplicates += report.duplicates

    def _article(self, item: Item, source: str) -> Article | BadArticle:
        """The item's article, or the reason it gives none."""
        if not item.link:
            return BadArticle(item.origin, "the item has no link")
        try:
            page = self.fetcher.get(item.link)
        except FetchError as error:
            return BadArticle(item.origin, error.reason)
        try:
            found = self.extract(page.body, page.url)
        except Exception as error:
            # A third-party parser on whatever a server sent: one page it chokes on costs that
            # item, with the reason, never the round.
            return BadArticle(item.origin, f"the page could not be read: {type(error).__name__}: {error}")
        text = found.text or ""
        words = len(text.split())
        if words < MIN_ARTICLE_WORDS:  # a menu, a cookie notice, a page drawn by script
            return BadArticle(item.origin, f"no main text found on the page ({words} word(s))")
        try:
            return check(Article(text=text, published=item.published or found.published, title=item.title,
                                 url=item.link, source=source, origin=item.origin))
        except BadArticle as bad:
            return bad


def follow(follower: FeedFollower, feeds: Sequence[str], interval: float, once: bool,
           on_round: Callable[[FeedRound], None], clock_now: Callable[[], float],
           sleep: Callable[[float], None]) -> None:
    """Rounds over ``feeds``: one with ``once``, else one every ``interval`` seconds (counted from
    each round's start) until interrupted."""
    while True:
        started = clock_now()
        for feed in feeds:
            on_round(follower.round(feed))
        if once:
            return
        sleep(max(0.0, started + interval - clock_now()))
