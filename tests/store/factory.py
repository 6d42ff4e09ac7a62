"""Analysed articles coded by hand, for store and clustering tests: no pipeline needed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from warmonitor.model import Actor, Analysis, Article, Event, Evidence, Location, Span
from warmonitor.stages.text import segment

PLACES = {
    # name: (geonames id, lat, lon, country, admin1)
    "Idlib": (169389, 35.93, 36.63, "SY", "Idlib"),
    "Nairobi": (184745, -1.28, 36.82, "KE", "Nairobi Area"),
    "Maiduguri": (2331447, 11.85, 13.16, "NG", "Borno"),
    "Damboa": (2339354, 11.15, 12.76, "NG", "Borno"),  # about 90 km from Maiduguri
    "Bama": (2347758, 11.52, 13.69, "NG", "Borno"),
}
ACTORS = {
    "Boko Haram": ("Boko Haram", "NGA", "rebel"),
    "villagers": ("Civilians (Nigeria)", "NGA", "civilians"),
    "soldiers": ("Military Forces of Nigeria", "NGA", "military"),
    "Government troops": ("Military Forces of Syria", "SYR", "military"),
    "rebel": ("Rebels (Syria)", "SYR", "rebel"),
    "protesters": ("Protesters (Kenya)", "KEN", "protesters"),
}


@dataclass
class Spec:
    """One event of a hand-coded article: words that must stand in the text, and their codes."""

    trigger: str
    plover_type: str = "ASSAULT"
    acled_event_type: str | None = "Violence against civilians"
    acled_sub_event_type: str | None = "Attack"
    cameo_root: str = "18"
    place: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    when: date | None = None
    precision: str = "day"
    fatalities: int | None = None
    status: str = "occurred"
    confidence: float = 0.8


def article(text: str, published: date, specs: list[Spec], source: str = "Example Wire",
            url: str | None = None, title: str | None = None) -> Analysis:
    """An analysed article whose events are ``specs``, each found at its words in ``text``."""
    art = Article(text=text, published=published, title=title or text[:40], url=url or f"https://example.org/{hash(text)}",
                  source=source, origin="hand.txt")
    analysis = Analysis(art)
    analysis.shape, analysis.sentences = segment(text)

    def span(words: str) -> Span:
        start = text.lower().index(words.lower())  # lowercased articles name the same words
        return Span(start, start + len(words))

    def sentence_of(offset: int) -> int:
        return next(s.index for s in analysis.sentences if s.span.start <= offset < s.span.end)

    for spec in specs:
        trigger = span(spec.trigger)
        index = sentence_of(trigger.start)
        sentence = analysis.sentences[index]
        location = None
        if spec.place:
            geonames, lat, lon, country, admin1 = PLACES[spec.place]
            location = Location(spec.place, spec.place, geonames, lat, lon, country, admin1, "exact", span(spec.place))
        actors = []
        for words in (spec.actor1, spec.actor2):
            if words is None:
                actors.append(None)
                continue
            canonical, country, kind = ACTORS[words]
            actors.append(Actor(words, canonical, country, kind, span(words)))
        analysis.events.append(Event(
            article_id=art.id, sentence_index=index, sentence=sentence.text, span=sentence.span, trigger=spec.trigger,
            trigger_span=trigger, plover_type=spec.plover_type, cameo_root=spec.cameo_root,
            acled_event_type=spec.acled_event_type, acled_sub_event_type=spec.acled_sub_event_type,
            status=spec.status, date=spec.when, date_precision=spec.precision, actor1=actors[0], actor2=actors[1],
            location=location, fatalities=spec.fatalities, confidence=spec.confidence,
            evidence=[Evidence("plover_type", spec.trigger, trigger, f"verbs.csv: {spec.trigger} → {spec.plover_type}")],
        ))
    return analysis


MONDAY = date(2024, 3, 4)


def two_event_article() -> object:
    text = ("Government troops shelled rebel positions near Idlib on Monday, a monitoring group said. "
            "In Nairobi, protesters marched on parliament on December 20.")
    return article(text, date(2024, 1, 2), [
        Spec("shelled", acled_event_type="Explosions/Remote violence",
             acled_sub_event_type="Shelling/artillery/missile attack", place="Idlib", actor1="Government troops",
             actor2="rebel", when=date(2024, 1, 1), confidence=0.8),
        Spec("marched", plover_type="PROTEST", acled_event_type="Protests", acled_sub_event_type="Peaceful protest",
             cameo_root="14", place="Nairobi", actor1="protesters", when=date(2023, 12, 20), confidence=0.6),
    ])


def incident_reports() -> list:
    """Three outlets' reports of one attack in Maiduguri (one lowercased), a look-alike 90 km away
    a day later, and an article on another attack that mentions the first in passing."""
    attack = {"acled_event_type": "Violence against civilians", "acled_sub_event_type": "Attack", "place": "Maiduguri",
              "actor1": "Boko Haram", "actor2": "villagers", "when": MONDAY}
    return [
        article("Boko Haram fighters killed 12 villagers in Maiduguri on Monday, police said.", date(2024, 3, 5),
                [Spec("killed", fatalities=12, **attack)], source="Wire A"),
        article("At least 15 villagers died when Boko Haram attacked Maiduguri late on Monday, residents said.",
                date(2024, 3, 6), [Spec("attacked", fatalities=15, **attack)], source="Sahel Post"),
        article("boko haram killed 15 villagers in maiduguri on monday , officials said .", date(2024, 3, 6),
                [Spec("killed", fatalities=15, **{**attack, "place": None})], source="Daily Ledger"),
        article("Boko Haram fighters killed seven villagers in Damboa on Tuesday.", date(2024, 3, 6),
                [Spec("killed", fatalities=7, **{**attack, "place": "Damboa", "when": date(2024, 3, 5)})],
                source="Wire A"),
        article("Boko Haram fighters attacked villagers in Bama on Friday. The raid came days after "
                "Boko Haram killed 15 villagers in Maiduguri.", date(2024, 3, 9),
                [Spec("attacked", fatalities=None, **{**attack, "place": "Bama", "when": date(2024, 3, 8)}),
                 Spec("killed", fatalities=15, **{**attack, "when": None, "precision": "unknown"})], source="Sahel Post"),
    ]
