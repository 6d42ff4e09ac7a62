"""HTML pages: the paragraph text is the article; the title and publication date come from the head."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser

from warmonitor.errors import BadArticle
from warmonitor.ingest.base import Record, check, parse_date, register_reader
from warmonitor.model import Article

_DROPPED = frozenset({"script", "style", "nav", "footer", "header", "aside", "noscript"})
_KEPT = frozenset({"p", "h2", "h3", "li", "blockquote"})
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}


class _Paragraphs(HTMLParser):
    """Paragraph text (<p>, <h2>, <h3>, list items, quotes) and the title (<title>, else <h1>);
    scripts, styles and navigation dropped. The headline stays out of the body: it is metadata,
    and a verbless headline ("Clashes near Aleppo") would be coded as a second event."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self.published: str | None = None
        self.headline: str | None = None
        self._stack: list[str] = []
        # How many of each tag are open: what a text is inside of is a look-up, not a walk down a
        # stack that pages of unclosed tags make deep (which made parsing quadratic).
        self._open: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID_TAGS:  # <meta>, <br> never close: keep them off the stack
            self._stack.append(tag)
            self._open[tag] += 1
        values = dict(attrs)
        if tag == "meta" and (values.get("property") or values.get("name") or "") in {
                "article:published_time", "date", "pubdate", "og:published_time"}:
            self.published = values.get("content")
        if tag in {"p", "h1", "h2", "h3", "br", "div", "li", "blockquote"}:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if not self._open[tag]:
            return  # a stray end tag closes nothing
        while self._stack:
            closed = self._stack.pop()
            self._open[closed] -= 1
            if closed == tag:
                break

    def _inside(self, tags: frozenset[str]) -> bool:
        return any(self._open[tag] for tag in tags)

    def handle_data(self, data: str) -> None:
        if self._inside(_DROPPED):
            return
        if self._stack and self._stack[-1] == "title":
            self.title = (self.title or "") + data.strip()
            return
        if self._open["h1"]:
            self.headline = (self.headline or "") + data.strip()
            return
        if self._inside(_KEPT):
            self.parts.append(data)


@register_reader(".html", ".htm")
def read_html(text: str, origin: str, published: date | None = None) -> Iterator[Record]:
    parser = _Paragraphs()
    try:
        parser.feed(text)
    except (AssertionError, ValueError) as error:
        yield BadArticle(origin, f"unreadable HTML: {error}")
        return
    # Blank lines between blocks: a headline or paragraph never runs into the next one.
    body = "\n\n".join(" ".join(p.split()) for p in "".join(parser.parts).split("\n") if p.strip())
    try:
        when = parse_date(parser.published) if parser.published else published
        yield check(Article(text=body, published=when, title=parser.title or parser.headline, origin=origin))
    except (BadArticle, ValueError) as error:
        yield error if isinstance(error, BadArticle) else BadArticle(origin, str(error))
