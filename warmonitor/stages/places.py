"""Places stage: find toponyms, resolve them in the gazetteer, and place each event.

Recognition scans every sentence for gazetteer names (longest first), skipping the dateline, the
words already taken by actors ("Islamic State") and, unless written with a capital, common words
("split", "reading"). Resolution is :mod:`warmonitor.geo.resolve`'s, with the article's actors'
nationalities as context. A settlement the gazetteer lacks, marked by a settlement noun, a bearing
or an address ("Kayamla village", "30 km south of Baghdad", "Nasko (Magama, Niger)"), keeps its
own name and is placed at the known place around it.

An event is placed where its own clause says: a place attached to the verb or its target ("fired
missiles at positions near Deir al-Zor"), never one describing the attacker ("a warship in the
Mediterranean") nor the dateline. With none in the clause, physical events take the nearest town
of their sentence, then the article's main place; statements stay unplaced rather than be put
where they were not made.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from warmonitor.classify.linker import Pairing, PlaceLinker
from warmonitor.gazetteer import NameKind, Place, distance_km, stands_as_a_name
from warmonitor.geo.recognize import cue_feature, known_without_capitals, link_containers
from warmonitor.geo.resolve import Mention, Signal, resolve
from warmonitor.lexicon import (
    ARABIC_ARTICLES,
    MONTH_ABBREVIATIONS,
    MONTHS,
    NAME_PARTICLES,
    PLACE_NOUNS,
    REGION_NOUNS,
    SETTLEMENT_NOUNS,
    WEEKDAYS,
    fold,
)
from warmonitor.model import ActorSource, Analysis, CountrySource, Event, Evidence, Location, PlaceMention, Sentence, Span
from warmonitor.resources import Resources
from warmonitor.stages.base import ArticleStage
from warmonitor.stages.text import dateline_length

_MAX_WORDS = 5
_NEAR = {"near", "outside", "around", "off", "toward", "towards"}
_PHYSICAL = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "RETREAT", "AID"}
_PRECISION = {"city": "exact", "admin1": "admin1", "region": "admin1", "water": "admin1", "country": "country"}
_NOT_PLACES = {"state", "center", "area", "media", "military", "university", "airport", "police", "army", "government",
               "president", "minister", "news", "island", "street", "north", "south", "east", "west", "central",
               "city", "town", "village", "capital", "province", "region", "district", "the", "border", "base",
               "garrison", "camp", "desert", "countryside", "headquarters", "office", "front", "line", "lines",
               # the kind of feature a name ends with ("Bekaa Valley"), never a town of that word
               "valley", "hills", "basin", "gorge", "plain", "plains", "delta",
               *WEEKDAYS, *MONTHS}


def _candidates(doc: Any, keys: list[str], sentence: Sentence, analysis: Analysis,
                resources: Resources) -> list[tuple[int, int, tuple[Place, ...]]]:
    """(first token, end token, gazetteer entries) for each toponym in a parsed sentence whose
    tokens fold to ``keys``."""
    common = resources.common_words
    skip_until = dateline_length(sentence.text) if sentence.is_dateline else 0
    # Words an actor took are not places: the actors stage already let go of names that a
    # locative preposition makes places ("in Damascus"), so what remains is an actor ("accused Washington").
    # A country or capital standing as an actor is still a toponym ("Karachi, Pakistan"), so only
    # longer actor names block places inside them ("Syrian Observatory for Human Rights").
    actor_spans = [(m.start, m.end, fold(m.actor.name) if m.actor.found_by in {ActorSource.COUNTRY, ActorSource.CAPITAL} else "")
                   for m in analysis.actors if m.sentence_index == sentence.index]
    # Words inside a longer name the NER found ("Hassan Sheikh Mohamud") are not places either, nor
    # a place named inside an organisation's name after its first word ("University of Texas",
    # "Bank of Ghana").
    entity_spans = [(e.start_char, e.end_char, len(e)) for e in doc.ents if e.label_ == "PERSON"]
    entity_spans += [(e[1:].start_char, e.end_char, len(e)) for e in doc.ents
                     if e.label_ == "ORG" and len(e) > 2 and any(t.lower_ in {"of", "and"} for t in e[1:-1])]
    found: list[tuple[int, int, tuple[Place, ...]]] = []
    index = 0
    while index < len(doc):
        token = doc[index]
        if token.idx < skip_until or not keys[index] or not token.text[:1].isalnum():
            index += 1
            continue
        hit = None
        gazetteer = resources.gazetteer
        first = keys[index].split()[0]
        if first not in gazetteer.name_lengths:
            index += 1
            continue  # no name starts with this word: most words of a text
        for end in range(min(len(doc), index + _MAX_WORDS), index, -1):
            if not keys[end - 1]:
                continue
            words = [k for k in keys[index:end] if k]
            key = " ".join(words)
            if key not in gazetteer:
                continue
            places = gazetteer.lookup(key)
            if not places:
                continue
            span = doc[index:end]
            if any(start < span.end_char and span.start_char < stop and name != " ".join(words)
                   for start, stop, name in actor_spans):
                continue
            if any(start <= span.start_char and span.end_char <= stop and size > len(span)
                   for start, stop, size in entity_spans):
                continue
            if not _plausible(span, words, places, common) or not _fits_context(span, words, places, doc, resources) \
                    or _modifies_a_thing(span, " ".join(words), resources) or _inside_a_hyphenated_name(span, resources):
                continue
            hit = (index, end, places)
            break
        if hit:
            found.append(hit)
            index = hit[1]
        else:
            index += 1
    return found


_HYPHEN_LINKS = frozenset({"et", "de", "du", "des", "la", "le", "sur", "y"})  # "Logone-et-Chari"


def _inside_a_hyphenated_name(span: Any, resources: Resources) -> bool:
    """"Mayo-Sava", "Logone-et-Chari": a name joined by hyphens to another capitalized name is part
    of a longer name the gazetteer lacks (a division, a district), not the place of that name
    somewhere else. Not a nationality ("Russian-Ukrainian talks"), nor after an Arabic article
    ("al-Anbar")."""
    if fold(span.text) in resources.dictionaries.nationalities:
        return False
    doc = span.doc

    def joined(hyphen: int, step: int) -> bool:
        """Whether the token at ``hyphen`` is a hyphen written without spaces, leading on (in the
        direction ``step``) to a capitalized word."""
        if not (0 <= hyphen < len(doc)) or doc[hyphen].text not in {"-", "‐"}:
            return False
        before = doc[hyphen - 1] if hyphen > 0 else None
        if before is None or before.whitespace_ or doc[hyphen].whitespace_:
            return False
        word_at = hyphen + step
        if not (0 <= word_at < len(doc)):
            return False
        word = doc[word_at]
        if word.lower_ in _HYPHEN_LINKS:
            return joined(word_at + step, step)
        return word.is_alpha and word.text[:1].isupper() and word.lower_ not in ARABIC_ARTICLES

    return joined(span.start - 1, -1) or joined(span.end, 1)


def _modifies_a_thing(span: Any, key: str, resources: Resources) -> bool:
    """"Molotov cocktails", "Stockholm syndrome": a name that only another spelling makes a place,
    or any place name modifying a noun that is no kind of place, is part of a thing's name."""
    root = span.root
    if root.dep_ != "compound" or root.head.i != span.end or root.head.lemma_.lower() in PLACE_NOUNS:
        return False
    return all(c.kind is NameKind.ALTERNATE for c in resources.gazetteer.candidates(key)) or root.head.lower_ in _THING_NOUNS


_THING_NOUNS = frozenset({"cocktail", "cocktails", "syndrome", "agreement", "accord", "accords", "protocol", "convention",
                          "process", "format", "talks", "summit", "declaration", "doctrine"})


def _plausible(span: Any, words: list[str], places: tuple[Place, ...], common: frozenset[str]) -> bool:
    """Reject gazetteer hits that are ordinary words here."""
    if not any(token.text[:1].isupper() for token in span if fold(token.text) not in NAME_PARTICLES):
        return False  # cased text, or lowercased text the parse stage re-capitalized as a known name
    if len(words) == 1 and (words[0] in _NOT_PLACES or len(words[0]) < 3):
        return False
    if len(words) == 1 and (words[0] in MONTH_ABBREVIATIONS or words[0] in MONTHS) and _next_to_a_number(span):
        return False  # "the Jan. 20 shelling", "on 3 March": a date
    if words[0] in _NOT_PLACES and words[0] not in {"the", "north", "south", "east", "west", "central"}:
        return False  # "Thursday Island" out of "on Thursday, islanders..."
    if all(word in common or word in _NOT_PLACES for word in words) and not stands_as_a_name(places) \
            and not _unit_noun_after(span, places):
        return False  # "split", "reading"; a hand-listed name of ordinary words ("West Bank") or a country stays
    if span.root.pos_ in {"VERB", "AUX", "ADP", "PRON", "DET"} and span.root.dep_ not in {"pobj", "compound"}:
        return False  # "Sagaing" tagged as a verb is still the object of "in"
    hamlet = len(words) == 1 and all(p.feature == "city" and p.population < 1000 and not p.curated for p in places)
    return not hamlet or _marked_as_place(span.root)  # a hamlet's name only where the words say a place follows


_UNIT_NOUNS = REGION_NOUNS | {"division"}


def _unit_noun_after(span: Any, places: tuple[Place, ...]) -> bool:
    """"Cameroon's Far North region", "Upper Nile state": ordinary words named as a region by the noun after them."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return after is not None and after.lower_ in _UNIT_NOUNS and any(p.feature == "admin1" for p in places)


def _next_to_a_number(span: Any) -> bool:
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    before = doc[span.start - 1] if span.start > 0 else None
    return any(token is not None and token.text.rstrip(".,").isdigit() for token in (after, before))


_STRONG_LOCATIVES = {"in", "near", "at", "outside", "around", "into", "toward", "towards", "across", "from", "to",
                     "inside", "through", "throughout", "within"}


def _fits_context(span: Any, words: list[str], places: tuple[Place, ...], doc: Any, resources: Resources) -> bool:
    """Reject small places whose name is here a person, an acronym or an ordinary noun, unless a
    locative preposition says a place follows ("near Sake", "in Allen")."""
    if any(p.feature in {"country", "region", "water"} or (p.feature == "city" and p.population >= 100_000)
           for p in places):
        return True
    if any(p.feature == "admin1" for p in places) and not (
            len(words) == 1 and {words[0], span.root.lemma_.lower()} & resources.common_nouns
            and not known_without_capitals(words[0], resources.gazetteer.candidates(words[0]), resources.common_words)):
        return True  # a region, unless its name is an ordinary noun ("Islands", Hong Kong's district; not "Gujarat")
    if _marked_as_place(span.root):
        return True
    if any(e.label_ in {"GPE", "LOC"} and e.start_char == span.start_char and span.end_char == e.end_char
           for e in doc.ents) and span.text[:1].isupper():
        return True  # the NER reads this name as a place ("patrolled Kakata"; not "Hospital" of "Nasser Hospital")
    if len(words) == 1 and span.text.isupper() and len(span.text) <= 5:
        return False  # "AMLO", "TASS": an acronym, not the village of the same letters
    if any(e.label_ in {"PERSON", "ORG"} and e.start_char <= span.start_char and span.end_char <= e.end_char
           for e in doc.ents):
        return False  # "Tyler", "Department of Energy"
    return not (len(words) == 1 and words[0] in resources.common_nouns)


# Nouns that say the name after "of" is a place: the linker's place nouns, and the lemmas the
# tagger gives some of them ("outskirts" → "outskirt") or the edges of a town.
_MARKING_NOUNS = PLACE_NOUNS | {"outskirt", "edge", "edges"}


def _marked_as_place(head: Any) -> bool:
    """Whether the words around a name say it is a place: a locative preposition ("near Sake"),
    a place noun it names ("the town of Boni", "Sagaing region", "east Hama countryside")."""
    if head.dep_ in {"pobj", "compound"} and (head.head.lower_ in _STRONG_LOCATIVES or
                                              head.head.head.lower_ in _STRONG_LOCATIVES):
        return True
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lemma_.lower() in _MARKING_NOUNS:
        return True
    doc, start = head.doc, head.i
    while start > 0 and head.i - start < 4 and doc[start - 1].text[:1].isupper():
        start -= 1  # back to the name's first word (left_edge needs a parse, and some sentences have none)
    if start >= 2 and doc[start - 1].lower_ == "of" and (doc[start - 2].lemma_ or doc[start - 2].lower_).lower() in _MARKING_NOUNS:
        return True  # "the outskirts of Baalbek", however the parser attached the "of"
    return head.dep_ in {"compound", "nmod", "amod"} and head.head.lemma_.lower() in PLACE_NOUNS


def _location(place: Place, mention_text: str, sentence: Sentence, start: int, end: int, key: str,
              candidates: int) -> Location:
    return Location(
        name=mention_text,
        canonical=place.name,
        geonames_id=place.geonames_id,
        lat=place.lat,
        lon=place.lon,
        country=place.country,
        admin1=place.admin1,
        admin2=place.admin2 if place.feature in {"city", "admin2", "airport"} else None,
        precision=_PRECISION.get(place.feature, "exact"),
        span=sentence.original_span(start, end),
        feature=place.feature,
        gazetteer_key=key,
        candidates=candidates,
    )


def outlet_spans(text: str, source: str | None) -> list[tuple[int, int]]:
    """Where the article's own outlet is named in a sentence ("Sahel Morning", "Kyiv Independent"):
    places in its name are not where anything happened. Only names of two words or more: a
    one-word source may well be a place the article names."""
    if not source or len(source.split()) < 2:
        return []
    return [(found.start(), found.end()) for found in re.finditer(rf"(?<!\w){re.escape(source)}(?!\w)", text, re.IGNORECASE)]


def recognize(analysis: Analysis, resources: Resources) -> list[PlaceMention]:
    """Every toponym in the article, resolved together by :mod:`warmonitor.geo.resolve`: a region
    written after a town, cue words, the article's other places, capitals, then size."""
    mentions: list[Mention] = []
    where: list[tuple[int, int, int]] = []  # sentence index, readable start, end
    dateline_country = None
    for sentence, doc in zip(analysis.sentences, analysis.docs, strict=True):
        keys = [fold(token.text) for token in doc]
        found = _candidates(doc, keys, sentence, analysis, resources)
        first_of_sentence = len(mentions)
        outlet = outlet_spans(sentence.text, analysis.article.source)
        for start, end, places in found:
            span = doc[start:end]
            if any(span.start_char < stop and begin < span.end_char for begin, stop in outlet):
                continue  # "the official told Sahel Morning": the outlet's name, not a place
            key = " ".join(k for k in keys[start:end] if k)
            allowed = set(places)
            candidates = tuple(c for c in resources.gazetteer.candidates(key) if c.place in allowed)
            mentions.append(Mention(span.start_char, span.end_char, span.text, key, candidates,
                                    cue=cue_feature(keys, start, end)))
            where.append((sentence.index, span.start_char, span.end_char))
        sentence_mentions = mentions[first_of_sentence:]
        link_containers(sentence.text, sentence_mentions)
        for mention in sentence_mentions:
            if mention.container is not None:
                mention.container += first_of_sentence
        if sentence.is_dateline and dateline_country is None:
            dateline_country = resources.geoparser.dateline_country(sentence.text)
    actor_countries: Counter[str] = Counter()
    for actor_mention in analysis.actors:
        code = resources.iso3_to_iso2.get(actor_mention.actor.country or "")
        if code:
            actor_countries[code] += 1
    resolutions = resolve(mentions, dateline_country, other_countries=actor_countries)
    placed: list[PlaceMention] = []
    aliased: set[tuple[int, int, int]] = set()  # a hamlet reached through another spelling ("Boni" → Bonnut)
    for mention, resolution, (sentence_index, start, end) in zip(mentions, resolutions, where, strict=True):
        if resolution is None:
            continue
        if resolution.candidate.kind is NameKind.ALTERNATE and resolution.place.population < 1000:
            aliased.add((sentence_index, start, end))
        sentence = analysis.sentences[sentence_index]
        location = _location(resolution.place, mention.text, sentence, start, end, mention.key, resolution.candidates)
        location.signals = tuple((signal.value, round(weight, 2)) for signal, weight in resolution.signals)
        if any(signal is Signal.OUTSIDE_CONTAINER for signal, _ in resolution.signals) and location.precision == "exact":
            location.precision = "near"  # placed at the region's town, not at the place itself
        placed.append(PlaceMention(location, sentence_index, start, end))
    # Settlement names by sentence: (start, end) of each, in readable offsets.
    settlements = [_settlement_names(doc) for doc in analysis.docs]
    placed = _drop_strays(placed, settlements, actor_countries, aliased)
    placed.extend(_unlisted_places(analysis, placed, settlements, actor_countries, resources))
    placed.sort(key=lambda m: (m.sentence_index, m.start))
    return placed


_SETTLEMENT_NOUNS = SETTLEMENT_NOUNS  # "Kayamla village", "the town of Ma'ardes"


def _drop_strays(placed: list[PlaceMention], settlements: list[list[tuple[int, int]]], actor_countries: Counter[str],
                 aliased: set[tuple[int, int, int]]) -> list[PlaceMention]:
    """A settlement the text marks as local ("Kani township", "the town of Boni") that resolved
    only through a hamlet's alternate spelling (Boni → Bonnut, France), or to a namesake in a
    country the article otherwise never names (Kani in Japan, in a story about Myanmar), is not that
    place: it is left to :func:`_unlisted_places`, which places it in its surroundings."""
    named = Counter(m.location.country for m in placed if m.location.country)
    support = named + actor_countries
    top = support.most_common(1)
    # focused: one country stands out, and the text names a place in it, not only its people
    focused = bool(top) and top[0][1] >= 2 and named[top[0][0]] >= 1

    def stray(m: PlaceMention) -> bool:
        where = (m.sentence_index, m.start, m.end)
        return (m.start, m.end) in settlements[m.sentence_index] and (
            where in aliased or (focused and support[m.location.country or ""] <= 1))

    return [m for m in placed if not stray(m)]


def _unlisted_places(analysis: Analysis, known: list[PlaceMention], settlements: list[list[tuple[int, int]]],
                     actor_countries: Counter[str], resources: Resources) -> list[PlaceMention]:
    """Places the gazetteer lacks but the text says are places: a capitalised name with a
    settlement noun ("Garubula village", "the suburb of Husseiniyah"), or one the NER reads as a
    place after a locative ("clashes in Khaldiyah"). Each is placed at the known place around it:
    the next one written in its sentence ("… of Biu LGA of Borno state", "… neighbourhood in
    Aleppo"), else the one before it, else the article's main town, else its country (the one its
    places and actors point to most); with none, it is left out. Its precision is "near" (a town
    around it) or that place's own."""
    found: list[PlaceMention] = []
    focus = focus_place(analysis, known)
    country: Location | None = None
    country_done = False
    for sentence, doc, marked in zip(analysis.sentences, analysis.docs, settlements, strict=True):
        names = marked + [name for name in _named_by_the_ner(doc) if not any(a < name[1] and name[0] < b for a, b in marked)]
        if not names:
            continue
        here = [m for m in known if m.sentence_index == sentence.index]
        taken = [(m.start, m.end) for m in here]
        # A name the NER took for a person is a place when a settlement noun says so ("the Babaji area").
        taken += [(m.start, m.end) for m in analysis.actors if m.sentence_index == sentence.index
                  and m.actor.found_by is not ActorSource.PERSON]
        for start, end in names:
            if any(a < end and start < b for a, b in taken):
                continue
            # "Ngaoundaye, a town in the Central African Republic": the place its own words put it in
            written_in = next((m for m in here if end <= m.start <= end + _WRITTEN_IN_REACH
                               and _IN_OR_OF.search(sentence.text, end, m.start)), None)
            around = written_in \
                or next((m for m in here if m.start >= end and m.location.feature != "country"), None) \
                or next((m for m in reversed(here) if m.end <= start and m.location.feature != "country"), None) \
                or (focus if focus is not None and focus.location.feature != "country" else None)
            if around is not None:
                base = around.location
            else:
                if not country_done:
                    country, country_done = _main_country(known, actor_countries, resources), True
                if country is None:
                    continue
                base = country
            namesake = _namesake_within(sentence.text[start:end], base, resources)
            if namesake is not None:
                # "the central market of Mrauk U in Rakhine State": a name the recogniser passed over
                # (the NER read it as a person) is the gazetteer's place of that name in the place around it
                key = fold(sentence.text[start:end])
                location = replace(_location(namesake, sentence.text[start:end], sentence, start, end, key, 1),
                                   signals=((Signal.NAMESAKE_AROUND.value, 0.0),))
                found.append(PlaceMention(location, sentence.index, start, end))
                taken.append((start, end))
                continue
            precision = "near" if base.feature == "city" else base.precision
            offset = _distance_and_bearing(sentence.text, end, base.lat)
            if offset is not None and around is not None and base.feature == "city":
                # "near Karimama, about 120 km to the north-east": not at the town around it, but that far off
                base = replace(base, lat=base.lat + offset[0], lon=base.lon + offset[1], admin2=None)
            elif around is not None and around.sentence_index != sentence.index and base.feature == "city":
                precision = "country"  # the article's town, named in another sentence: somewhere in its country
            location = Location(name=sentence.text[start:end], canonical=sentence.text[start:end], geonames_id=None,
                                lat=base.lat, lon=base.lon, country=base.country, admin1=base.admin1, admin2=base.admin2,
                                precision=precision, span=sentence.original_span(start, end), feature="city",
                                gazetteer_key="", candidates=0,
                                signals=((f"{Signal.UNLISTED.value}: {base.canonical}", 0.0),))
            found.append(PlaceMention(location, sentence.index, start, end))
            taken.append((start, end))
    return found


_BEARINGS = {"north": 0, "north-east": 45, "northeast": 45, "east": 90, "south-east": 135, "southeast": 135,
             "south": 180, "south-west": 225, "southwest": 225, "west": 270, "north-west": 315, "northwest": 315}
_OFFSET = re.compile(r"\s*,?\s*(?:about|some|around|nearly|roughly)?\s*(\d{1,4})\s*(?:km|kms|kilometres|kilometers)\s+"
                     r"(?:to\s+the\s+)?(" + "|".join(sorted(_BEARINGS, key=len, reverse=True)) + r")\b(?!\s+of\b)", re.I)


def _distance_and_bearing(text: str, end: int, latitude: float) -> tuple[float, float] | None:
    """The (latitude, longitude) offset in degrees that a name's own "about 120 km to the
    north-east" gives at ``latitude``; None when no such words follow the name."""
    match = _OFFSET.match(text, end)
    if match is None:
        return None
    km, bearing = float(match.group(1)), math.radians(_BEARINGS[match.group(2).lower()])
    return km * math.cos(bearing) / 111.0, km * math.sin(bearing) / (111.0 * max(0.1, math.cos(math.radians(latitude))))


_AROUND_KM = {"city": 40.0, "admin1": 300.0}  # how far from the place around it a namesake may lie
_WRITTEN_IN_REACH = 40  # characters between a name and the place its apposition puts it in
_IN_OR_OF = re.compile(r"\b(?:in|of)\b")


def _namesake_within(name: str, base: Location, resources: Resources) -> Place | None:
    """The most populous town of this name that lies in ``base``: its country, or within reach of
    its province or town."""
    best: Place | None = None
    for candidate in resources.gazetteer.candidates(fold(name)):
        place = candidate.place
        if candidate.kind is not NameKind.NAME or place.feature != "city" or place.country != base.country:
            continue
        reach = _AROUND_KM.get(base.feature)
        if reach is not None and distance_km(place.lat, place.lon, base.lat, base.lon) > reach:
            continue
        if best is None or place.population > best.population:
            best = place
    return best


def _main_country(known: list[PlaceMention], actor_countries: Counter[str], resources: Resources) -> Location | None:
    """The country the article's places and actors point to most, as a place (its reference point)."""
    top = (Counter(m.location.country for m in known if m.location.country) + actor_countries).most_common(1)
    if not top:
        return None
    code = top[0][0]
    named = next((m.location for m in known if m.location.feature == "country" and m.location.country == code), None)
    if named is not None:
        return named
    place = resources.gazetteer.country(code)
    if place is None:
        return None
    return Location(name=place.name, canonical=place.name, geonames_id=place.geonames_id, lat=place.lat, lon=place.lon,
                    country=place.country, admin1=None, precision="country", span=Span(0, 0), feature="country")


# Prepositions after which a name the NER reads as a place is one ("fighting in Khaldiyah").
_IN_PLACE = _STRONG_LOCATIVES - {"from", "to"}


def _named_by_the_ner(doc: Any) -> list[tuple[int, int]]:
    """Character ranges of names the NER labels a place (GPE, LOC, FAC) that a locative
    preposition governs: "clashes in Khaldiyah", "outside Ciragan Palace"."""
    ranges = []
    for entity in doc.ents:
        if entity.label_ not in {"GPE", "LOC", "FAC"} or entity.start == 0:
            continue
        words = [t for t in entity if not (t.i == entity.start and t.lower_ == "the")]
        if not words or not words[0].text[:1].isupper() or not all(t.is_alpha or t.text in {"-", "'", "’"} for t in words):
            continue
        if all(t.lower_ in _NOT_PLACES for t in words):
            continue  # "in the city": a noun the recasing capitalised, not a name
        if entity.root.dep_ == "pobj" and entity.root.head.lower_ in _IN_PLACE:
            ranges.append((words[0].idx, words[-1].idx + len(words[-1])))
    return ranges


def _settlement_names(doc: Any) -> list[tuple[int, int]]:
    """Character ranges of capitalised names a settlement noun, a bearing ("… south of Baghdad") or
    a bracketed address marks as places, in cased text."""
    ranges = []
    for token in doc:
        name = _settlement_name_at(doc, token)
        if name:
            first, last = min(t.i for t in name), max(t.i for t in name)
            ranges.append((doc[first].idx, doc[last].idx + len(doc[last])))
    return ranges


def _settlement_name_at(doc: Any, token: Any) -> list[Any]:
    """The name ``token`` marks as a settlement's, as tokens; none when it marks none."""
    if token.text == "(":
        if token.i > 0 and any(t.text == "," for t in doc[token.i + 1:token.i + 8]) \
                and any(t.text == ")" for t in doc[token.i + 2:token.i + 12]):
            return _capitalised_run(doc, token.i - 1, step=-1)  # "Nasko (Magama, Niger)": an address
        return []
    if token.lower_ in _DIRECTIONS and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "of":
        # "Mahmudiyah south of Baghdad", "Mahmudiyah, 30 km south of Baghdad"
        before = token.i - 1
        while before >= 0 and (doc[before].like_num or doc[before].lower_ in _DISTANCE_WORDS):
            before -= 1
        if before >= 0 and doc[before].text == ",":
            before -= 1
        return _capitalised_run(doc, before, step=-1) if before >= 0 else []
    if token.lower_ not in _SETTLEMENT_NOUNS:
        return []
    name = _capitalised_run(doc, token.i - 1, step=-1) if token.i > 0 else []  # "Kayamla village"
    if not name and token.i + 2 < len(doc) and doc[token.i + 1].lower_ == "of":
        name = _capitalised_run(doc, token.i + 2, step=1)  # "the town of Ma'ardes"
    if not name and token.i >= 3 and doc[token.i - 1].lower_ in {"a", "the"} and doc[token.i - 2].text == ",":
        name = _capitalised_run(doc, token.i - 3, step=-1)  # "Karimama, a town in the far north of Alibori"
    return name


_DIRECTIONS = frozenset(_BEARINGS)
_DISTANCE_WORDS = frozenset({"km", "kms", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile", "some",
                             "about", "around", "("})


# Lower-case words inside a place's name ("Tall ad-Dirrah", "Ras al Ain", "Bir el Abd").
_NAME_LINKS = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "de", "del", "la", "le", "du",
                         "des", "bin", "ibn", "abu", "umm", "um", "bani", "beni", "ben"})


def _capitalised_run(doc: Any, index: int, step: int) -> list[Any]:
    """Up to four proper-noun tokens from ``index`` on (forwards or backwards), linked by hyphens
    and particles ("Tall ad-Dirrah", "Kafr Saghir"); none when the run opens the sentence."""
    run: list[Any] = []
    while 0 <= index < len(doc) and len(run) < 4:
        token = doc[index]
        if token.lower_ in WEEKDAYS or token.lower_ in MONTHS:
            break  # "the town of Boni on Thursday"
        if (token.text[:1].isupper() and token.pos_ == "PROPN" and token.is_alpha) or (
                run and token.lower_ in _NAME_LINKS) or (run and token.text in {"-", "'", "’"}):
            run.append(token)
            index += step
        else:
            break
    while run and not run[-1].text[:1].isupper():
        run.pop()
    if not run or min(t.i for t in run) == 0:
        return []  # "Village elders said": a capital only because the sentence starts
    return run


def _relation(event_token: Any, place_token: Any) -> tuple[float, str] | None:
    """The rules' reading of how a place relates to an event verb: (rank, preposition), lower rank
    = more directly attached; None when it sits outside the event's clause. One of the linker's
    features."""
    ancestors = list(place_token.ancestors)
    penalty = 0.0
    if all(a.i != event_token.i for a in ancestors):
        # "was shot and killed in X": a verb sharing its subject with the one before it shares
        # that verb's places too.
        if not (_shares_subject(event_token) and any(a.i == event_token.head.i for a in ancestors)):
            return None
        event_token, penalty = event_token.head, 1.0
    path = [place_token]
    for ancestor in ancestors:
        if ancestor.i == event_token.i:
            break
        path.append(ancestor)
    clause_breaks = [t for t in path[1:] if t.dep_ in {"ccomp", "advcl", "relcl", "xcomp", "conj"} and t.pos_ == "VERB"
                     and not (t.dep_ == "conj" and _shares_subject(t))]
    if clause_breaks:
        return None
    prepositions = [t.lower_ for t in path if t.dep_ == "prep"]
    # "near the town of X" is near X: a "near"-like preposition anywhere on the path counts.
    preposition = next((p for p in prepositions if p in _NEAR), prepositions[0] if prepositions else "")
    rank = 0 if path[-1].head.i == event_token.i and path[-1].dep_ == "prep" else 1
    return rank + penalty + len(path) / 100, preposition


def _shares_subject(verb: Any) -> bool:
    """A verb coordinated with the one before it, or a participle hanging off it, without a subject
    of its own: the same act told on ("shot and killed", "attacked the village, killing ten")."""
    return bool((verb.dep_ == "conj" or (verb.dep_ == "advcl" and verb.tag_ == "VBG"))
                and verb.pos_ in {"VERB", "AUX"} and verb.head.pos_ in {"VERB", "AUX"}
                and not any(child.dep_ in {"nsubj", "nsubjpass"} for child in verb.children))


def locate(event: Event, analysis: Analysis, resources: Resources, focus: PlaceMention | None) -> None:
    """Set ``event.location`` from the places in its clause, else the article's main place."""
    doc = analysis.docs[event.sentence_index]
    event_token = doc[event.trigger_token]
    if event_token.pos_ == "NOUN" and event_token.dep_ in {"nsubj", "nsubjpass", "dobj"}:
        event_token = event_token.head  # "demonstrations took place in Mombasa": the place hangs off the verb
    near = resources.dictionaries.cues.near_prepositions
    actor_spans = [actor.span for actor in (event.actor1, event.actor2) if actor is not None]
    best = place_of(analysis, event.sentence_index, event_token, resources.linker, actor_spans,
                    skip_launch_points=event.plover_type == "ASSAULT")
    if best is not None and best.preposition == SAME_SENTENCE and event.plover_type not in _PHYSICAL:
        best = None  # "denied attacking a convoy in North Kordofan": the denial was not made there
    if best is not None:
        mention, preposition = best.mention, best.preposition
        location = replace(mention.location)
        if preposition in near and location.precision == "exact":
            location.precision = "near"
        event.location = location
        if preposition == SAME_SENTENCE:
            how = f"in the sentence of '{event.trigger}', outside its clause"
            event.confidence = max(0.1, event.confidence - 0.05)
        else:
            how = f"attached to '{event.trigger}'" + (f" by '{preposition}'" if preposition else "")
        event.evidence.append(Evidence("location", mention.location.name, mention.location.span,
                                       f"{mention.location.rule}; {how}; linker {best.probability:.2f}"))
        if best.probability >= SURE_LINK:  # a doubtful place does not re-colour the actors
            _country_from_place(event, resources)
        return
    if event.plover_type in _PHYSICAL and focus is not None and event.status in {"occurred", "ongoing"}:
        event.location = replace(focus.location, fallback=True)
        event.confidence = max(0.1, event.confidence - 0.15)
        event.evidence.append(Evidence("location", focus.location.name, focus.location.span,
                                       "no place in the event's clause; the article's main place"))


@dataclass(frozen=True, slots=True)
class Link:
    """The place an event word is linked to, the preposition attaching it (:data:`SAME_SENTENCE`
    outside its clause) and the linker's probability."""

    mention: PlaceMention
    preposition: str
    probability: float


SURE_LINK = 0.5  # below this the place stands, but the actors keep their own countries


def place_of(analysis: Analysis, sentence_index: int, event_token: Any, linker: PlaceLinker,
             actor_spans: list[Span] | None = None, skip_launch_points: bool = True) -> Link | None:
    """The place where the action of ``event_token`` (a word of a parsed sentence) happened, as
    :class:`~warmonitor.classify.linker.PlaceLinker` judges, with the preposition that attaches it
    (:data:`SAME_SENTENCE` for a place outside its clause); None when no place is likely enough.
    The actors themselves and, with ``skip_launch_points``, launch points ("from") are never its place;
    where the agent is, only when no other place is named."""
    options = [(mention, pairing) for mention, pairing in pairings(analysis, sentence_index, event_token, actor_spans)
               if not (skip_launch_points and pairing.relation is not None and pairing.relation[1] == "from")]
    # Where the agent is ("a warship in the Black Sea fired at positions near Odesa") is the
    # event's place only when the sentence names no other ("shot by gunmen in Caruaru").
    elsewhere = [option for option in options if option[1].subject not in {"nsubj", "agent"}]
    options = elsewhere or options
    pairings_ = [pairing for _, pairing in options]
    chosen = linker.best(pairings_)
    if chosen is None:
        return None
    index, probability = chosen
    if options[index][0].location.feature == "water" and len(options) > 1:
        index, probability = _town_by_the_water(options, linker.probabilities(pairings_), index, linker.threshold)
    mention, pairing = options[index]
    return Link(mention, pairing.relation[1] if pairing.relation is not None else SAME_SENTENCE, probability)


def _town_by_the_water(options: Sequence[tuple[PlaceMention, Pairing]], probabilities: Any, index: int,
                       threshold: float) -> tuple[int, float]:
    """A river or a sea is a poor place for an event when the report also names the town it was
    near: "on the banks of the Chari river just outside Kousséri" is Kousséri, as ACLED would code
    it. A town the linker also finds likely, attached by "near", "outside", "off" or "at", wins."""
    best, best_probability = index, float(probabilities[index])
    for other, ((mention, pairing), probability) in enumerate(zip(options, probabilities, strict=True)):
        near = pairing.relation is not None and pairing.relation[1] in _NEAR | {"at"}
        if other != index and near and mention.location.feature == "city" and probability >= threshold \
                and probability >= _SHARE_BESIDE_WATER * probabilities[index] and (best == index or probability > best_probability):
            best, best_probability = other, float(probability)
    return best, best_probability


_SHARE_BESIDE_WATER = 0.5  # the town wins when the linker gives it at least this share of the water's chance


def pairings(analysis: Analysis, sentence_index: int, event_token: Any,
             actor_spans: list[Span] | None = None) -> list[tuple[PlaceMention, Pairing]]:
    """The places of the event word's sentence that may be its place, each paired with it as the
    linker reads them; not a place that is an actor of the event ("accused Washington")."""
    doc = analysis.docs[sentence_index]
    out = []
    for mention in analysis.places:
        if mention.sentence_index != sentence_index or _names_an_actor(mention, actor_spans or []):
            continue
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and len(span) and not _speaks(span.root):
            out.append((mention, Pairing(event_token, span, mention.location, _relation(event_token, span.root))))
    return out


_SPEAKING = frozenset({"say", "tell", "claim", "accuse", "deny", "announce", "state", "insist", "warn", "condemn",
                       "blame", "allege", "confirm", "report"})


def _speaks(token: Any) -> bool:
    """"what Yerevan says was Azerbaijani shelling": a capital or country that speaks is a
    government, the source of the report, not where it happened."""
    return token.dep_ == "nsubj" and (token.head.lemma_ or token.head.text).lower() in _SPEAKING


def _names_an_actor(mention: PlaceMention, actor_spans: list[Span]) -> bool:
    """"Accused Washington": a place's words that are an actor of the event are not its place."""
    span = mention.location.span
    return any(actor.start < span.end and span.start < actor.end for actor in actor_spans)


SAME_SENTENCE = "(same sentence)"  # place_of's preposition for a place outside the event's clause


def _country_from_place(event: Event, resources: Resources) -> None:
    """An actor whose country was only guessed from the article takes the country where the
    event happened: "government soldiers retreated from Goma" are Congo's, whatever else the
    article is about."""
    place_country = resources.iso2_to_iso3.get(event.location.country or "") if event.location else None
    if not place_country:
        return
    for role in ("actor1", "actor2"):
        actor = getattr(event, role)
        if actor is None:
            continue
        guessed = actor.country_from is CountrySource.ARTICLE
        unknown = (actor.country is None and actor.found_by in {ActorSource.AGENT, ActorSource.PERSON}
                   and actor.country_from is not CountrySource.BACKER)
        if not (guessed or unknown) or actor.country == place_country:
            continue
        old_name = resources.country_names.get(actor.country or "", "")
        new_name = resources.country_names.get(place_country, place_country)
        # "Civilians" → "Civilians (Norway)", "Military Forces" → "Military Forces of Norway"
        canonical = (actor.canonical or "").replace(old_name, new_name) if old_name else _with_country(actor.canonical or "", new_name)
        placed = replace(actor, country=place_country, canonical=canonical, country_from=CountrySource.EVENT_PLACE)
        setattr(event, role, placed)
        for item in event.evidence:
            if item.field == role:
                item.rule = placed.rule


def _with_country(canonical: str, country: str) -> str:
    if canonical.startswith(("Military Forces", "Police Forces", "Security Forces", "Government", "Ministry")):
        return f"{canonical} of {country}"
    return f"{canonical} ({country})"


def _speaks_in(analysis: Analysis, mention: PlaceMention) -> bool:
    docs = analysis.docs
    if mention.sentence_index >= len(docs) or docs[mention.sentence_index] is None:
        return False
    span = docs[mention.sentence_index].char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and _speaks(span.root)


def focus_place(analysis: Analysis, places: list[PlaceMention] | None = None) -> PlaceMention | None:
    """The article's main place: the most named town, else region, else country (not the dateline,
    nor a capital that speaks: "what Yerevan says"). Of ``places`` when given (while the stage is
    still finding them), else of ``analysis.places``."""
    mentions = [m for m in (analysis.places if places is None else places) if not _speaks_in(analysis, m)]
    for features in ({"city"}, {"admin1", "region"}, {"country"}):
        counts = Counter(m.location.canonical for m in mentions if m.location.feature in features)
        if counts:
            name = counts.most_common(1)[0][0]
            return next(m for m in mentions if m.location.canonical == name)
    return None


def run(analysis: Analysis, resources: Resources) -> None:
    analysis.places = recognize(analysis, resources)
    focus = focus_place(analysis)
    for event in analysis.events:
        locate(event, analysis, resources, focus)


STAGE = ArticleStage(
    "places",
    reads=("sentences", "docs", "actors", "events", "article.source"),
    writes=("places", "events.location", "events.actor1", "events.actor2", "events.confidence", "events.evidence"),
    step=run,
)

# Recognition alone, for training the linker: placing events needs the linker being trained.
RECOGNITION = ArticleStage(
    "places",
    reads=("sentences", "docs", "actors"),
    writes=("places",),
    step=lambda analysis, resources: setattr(analysis, "places", recognize(analysis, resources)),
)

