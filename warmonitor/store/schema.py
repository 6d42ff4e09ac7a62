"""The database's tables, defined once for every engine (SQLAlchemy Core).

``events`` holds each article's events (*mentions*), ``clusters`` the canonical events they
were grouped into (:mod:`warmonitor.cluster`). Both keep the public record as JSON beside the
columns queries filter on. The migrations in ``migrations/versions`` create exactly these tables;
a change here goes with a new migration.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

articles = Table(
    "articles", metadata,
    Column("id", String(16), primary_key=True),
    Column("title", Text), Column("url", Text), Column("source", Text),
    Column("published", String(10)),  # ISO date
    Column("origin", Text), Column("shape", Text),
    Column("text", Text, nullable=False),
    Column("ingested_at", String(32), nullable=False),
    Column("coded_at", String(32)),  # when its events were last coded (ingest or recode)
)

sentences = Table(
    "sentences", metadata,
    Column("article_id", String(16), ForeignKey("articles.id"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)


def _filter_columns() -> list[Column]:
    """The columns both events and canonical events are filtered and ordered on."""
    return [
        Column("date", String(10)), Column("date_precision", String(8)),
        Column("when_date", String(10)),  # the date, else the report's
        Column("published", String(10)),
        Column("country", String(2)), Column("actor1", Text), Column("actor1_country", String(3)),
        Column("actor2", Text), Column("actor2_country", String(3)),
        Column("plover_type", String(16), nullable=False), Column("cameo_root", String(4)),
        Column("acled_event_type", Text), Column("acled_sub_event_type", Text), Column("status", String(16)),
        Column("place_precision", String(8)), Column("lat", Float), Column("lon", Float), Column("confidence", Float),
        Column("actor_names", Text),  # every actor's name and canonical name, lower case, one per line
        Column("admin1", Text),  # the place's first-level region
        Column("search_text", Text),  # sentences, actors and places, lower case: what a text search reads
        Column("sort_key", String(10), nullable=False, server_default=""),  # when_date, or "": newest first
    ]


events = Table(
    "events", metadata,
    Column("id", String(16), primary_key=True),
    Column("article_id", String(16), ForeignKey("articles.id"), nullable=False),
    Column("cluster_id", String(16)),
    *_filter_columns(),
    Column("record", Text, nullable=False),
    Column("evidence", Text, nullable=False),
)

clusters = Table(
    "clusters", metadata,
    Column("id", String(16), primary_key=True),
    *_filter_columns(),
    Column("fatalities", Integer),
    Column("num_articles", Integer, nullable=False),
    Column("num_sources", Integer, nullable=False),
    Column("members", String(16), nullable=False),  # digest of the mention ids
    Column("record", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

rejected = Table(
    "rejected", metadata,
    Column("origin", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

# What a feed follower has seen: each feed item once, with what became of it, so a restart neither
# stores an article twice nor fetches a failed page again. ``id`` is a digest of feed and key
# (item keys are guids or links of any length; an index on them could overflow on PostgreSQL).
feed_items = Table(
    "feed_items", metadata,
    Column("id", String(40), primary_key=True),
    Column("feed", Text, nullable=False),  # the feed's URL as listed
    Column("item_key", Text, nullable=False),  # the item's guid, else its link
    Column("article_id", String(16)),  # the article it gave, or null when it gave none
    Column("status", String(16), nullable=False),  # stored | rejected
    Column("reason", Text),  # why it was rejected
    Column("first_seen", String(32), nullable=False),
)

# Newest first within each filter: (filter column, sort_key, id) lets the database read a page off
# the index and stop, on SQLite and PostgreSQL alike.
INDEXES: tuple[Index, ...] = (
    Index("events_article", events.c.article_id),
    Index("events_cluster", events.c.cluster_id),
    Index("events_date", events.c.date),
    Index("events_when", events.c.plover_type, events.c.when_date),
    Index("events_country", events.c.country),
    Index("events_type", events.c.plover_type),
    Index("events_newest", events.c.sort_key, events.c.id),
    Index("clusters_newest", clusters.c.sort_key, clusters.c.id),
    Index("clusters_country_newest", clusters.c.country, clusters.c.sort_key, clusters.c.id, clusters.c.fatalities),
    Index("clusters_actor1_country_newest", clusters.c.actor1_country, clusters.c.sort_key, clusters.c.id, clusters.c.fatalities),
    Index("clusters_actor2_country_newest", clusters.c.actor2_country, clusters.c.sort_key, clusters.c.id, clusters.c.fatalities),
    Index("clusters_type_newest", clusters.c.plover_type, clusters.c.sort_key, clusters.c.id, clusters.c.fatalities),
    Index("clusters_acled_newest", clusters.c.acled_event_type, clusters.c.sort_key, clusters.c.id, clusters.c.fatalities),
    Index("clusters_sub_newest", clusters.c.acled_sub_event_type, clusters.c.sort_key, clusters.c.id, clusters.c.fatalities),
    Index("clusters_status_newest", clusters.c.status, clusters.c.sort_key, clusters.c.id, clusters.c.fatalities),
    Index("clusters_confidence", clusters.c.confidence),
    Index("clusters_lat_lon", clusters.c.lat, clusters.c.lon),
    Index("clusters_admin1", clusters.c.country, clusters.c.admin1, clusters.c.fatalities),
    Index("clusters_day_tally", clusters.c.sort_key, clusters.c.fatalities),
    Index("clusters_type_tally", clusters.c.acled_event_type, clusters.c.plover_type, clusters.c.fatalities),
    Index("articles_published", articles.c.published),
)
