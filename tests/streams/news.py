"""Feeds and article pages written for the stream tests (invented reports; the places are real),
and the answers that misbehave beside them."""

from __future__ import annotations

from html import escape

from .site import Site, busy_then, endless, hanging, with_etag

RSS_TITLE = "Example Wire: World"
ATOM_TITLE = "Great Lakes Monitor"


def article_page(title: str, paragraphs: list[str], published: str | None = None) -> str:
    """A news page as sites make them: navigation and a footer around the article."""
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    return (f"<!doctype html><html><head><title>{escape(title)}</title>{meta}</head><body>"
            "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
            f"<article><h1>{escape(title)}</h1>{body}</article>"
            "<footer>Example Wire. All rights reserved.</footer></body></html>")


# path → (title, paragraphs, the page's own date)
PAGES: dict[str, tuple[str, list[str], str | None]] = {
    "/news/kharkiv.html": ("Overnight shelling hits Kharkiv", [
        "Russian forces shelled residential districts of Kharkiv overnight, killing two civilians and wounding "
        "eleven others, the regional governor said on Monday.",
        "Firefighters worked until dawn to put out fires in several apartment blocks, emergency services said.",
    ], "2025-03-05"),
    "/news/dakar.html": ("Thousands march in Dakar", [
        "Thousands of protesters marched through central Dakar on Saturday to demand the release of detained "
        "opposition activists.",
        "Police fired tear gas to disperse crowds near the national assembly, witnesses said.",
    ], None),
    "/news/doha.html": ("Ceasefire talks resume in Doha", [
        "Negotiators for both sides met in Doha on Wednesday for a second round of ceasefire talks, the Qatari "
        "foreign ministry said.",
        "Mediators said the talks would continue through the weekend.",
    ], None),
    "/news/goma.html": ("Fighting on the edge of Goma", [
        "M23 rebels clashed with Congolese soldiers on the outskirts of Goma on Monday, residents said.",
        "At least six people were killed in the fighting, according to a local hospital.",
    ], "2025-02-20"),
    "/news/bor.html": ("Cattle camp attacked near Bor", [
        "Gunmen attacked a cattle camp near Bor in Jonglei State, killing seven herders, local officials said.",
        "The attackers made off with hundreds of cows, the county commissioner said.",
    ], "2025-01-15"),
    "/news/mogadishu.html": ("Blast in Mogadishu", [
        "A car bomb exploded near a checkpoint in Mogadishu on Thursday, killing three soldiers, police said.",
        "Al-Shabaab said it carried out the attack.",
    ], None),
}

SCRIPT_ONLY = "<!doctype html><html><head><title>Live</title></head><body><div id='app'></div><script>load()</script></body></html>"


def rss(site: Site, extra: str = "") -> str:
    def item(title: str, link: str, guid: str | None = None, date: str | None = None) -> str:
        parts = [f"<title>{escape(title)}</title>", f"<link>{escape(link)}</link>"]
        if guid:
            parts.append(f'<guid isPermaLink="false">{guid}</guid>')
        if date:
            parts.append(f"<pubDate>{date}</pubDate>")
        return "<item>" + "".join(parts) + "</item>"

    items = [
        item("Overnight shelling hits Kharkiv", site.url("/news/kharkiv.html"), "wire-1001", "Mon, 03 Mar 2025 08:00:00 GMT"),
        item("Thousands march in Dakar", site.url("/news/dakar.html"), "wire-1002", "Sat, 01 Mar 2025 17:30:00 GMT"),
        item("Ceasefire talks resume in Doha", site.url("/news/doha.html"), "wire-1003", "Wed, 05 Mar 2025 12:00:00 GMT"),
        item("Removed story", site.url("/news/missing.html"), "wire-1004", "Tue, 04 Mar 2025 09:00:00 GMT"),
        item("Photo gallery", site.url("/news/gallery.html"), "wire-1005", "Tue, 04 Mar 2025 10:00:00 GMT"),
        item("Live updates", site.url("/news/live.html"), "wire-1006", "Tue, 04 Mar 2025 11:00:00 GMT"),
        item("Slow story", site.url("/news/slow.html"), "wire-1007", "Tue, 04 Mar 2025 12:00:00 GMT"),
        item("Bulletin", "ftp://127.0.0.1/news/bulletin.txt", "wire-1008", "Tue, 04 Mar 2025 13:00:00 GMT"),
        "<item><description>An item with neither guid nor link.</description></item>",
    ]
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(RSS_TITLE)}</title>'
            f"<link>{site.url('/')}</link><description>World news</description>{extra}{''.join(items)}</channel></rss>")


MOGADISHU_ITEM = ("<item><title>Blast in Mogadishu</title><link>{url}</link><guid isPermaLink='false'>wire-1009</guid>"
                  "<pubDate>Thu, 06 Mar 2025 15:00:00 GMT</pubDate></item>")


def atom(site: Site) -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{ATOM_TITLE}</title><id>urn:example:great-lakes</id><updated>2025-02-11T09:30:00Z</updated>"
            "<entry><title>Fighting on the edge of Goma</title><id>urn:example:goma-1</id>"
            f"<link href='{site.url('/news/goma.html')}'/><updated>2025-02-11T09:30:00Z</updated></entry>"
            "<entry><title>Cattle camp attacked near Bor</title><id>urn:example:bor-1</id>"
            "<link href='/news/bor.html'/></entry>"  # a relative link, and no date: the page's date is used
            "</feed>")


def publish(site: Site) -> Site:
    """Put the feeds, the pages and the misbehaving answers on ``site``."""
    for path, (title, paragraphs, published) in PAGES.items():
        site.page(path, article_page(title, paragraphs, published))
    site.routes["/news/doha.html"] = busy_then(article_page(*PAGES["/news/doha.html"][:2]), status=429, retry_after="7")
    site.routes["/news/gallery.html"] = endless(60_000)
    site.page("/news/live.html", SCRIPT_ONLY)
    site.routes["/news/slow.html"] = hanging()
    site.routes["/rss.xml"] = with_etag(rss(site), '"rss-1"')
    site.page("/atom.xml", atom(site), content_type="application/atom+xml")
    return site


def add_mogadishu(site: Site) -> None:
    """A new item in the RSS feed (and a new ETag)."""
    site.routes["/rss.xml"] = with_etag(rss(site, MOGADISHU_ITEM.format(url=site.url("/news/mogadishu.html"))), '"rss-2"')
