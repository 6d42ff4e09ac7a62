"""Actors stage: find who is named in each sentence and resolve them against the dictionaries.

Three kinds of mention, tried longest first at each word:
- named actors from ``actors.csv`` ("Islamic State", "ISIL", "Daesh" → Islamic State);
- generic agents from ``agents.csv`` with the nationality or country written before them
  ("Syrian government forces", "Russia's defence ministry", "a Russian warship");
- country names and capitals used as actors ("accused Washington", "backed by Iran"), dropped
  where a locative preposition makes them places ("in Syria").
Persons the NER finds and no dictionary knows are kept with their name as written. State agents
without a written country take the article's main country, and their evidence says so.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from warmonitor.dictionaries import Agent, Cues, NamedActor
from warmonitor.lexicon import SETTLEMENT_NOUNS, fold
from warmonitor.model import Actor, ActorMention, ActorSource, Analysis, CountrySource, Sentence
from warmonitor.resources import Resources
from warmonitor.stages.base import ArticleStage
from warmonitor.stages.text import RAW, dateline_length

_TYPE_MODIFIERS = {"rebel": "rebel", "opposition": "rebel", "pro government": "militia", "islamist": "rebel",
                   "jihadist": "rebel", "government": None, "state": None, "security": None}
_BACKER_WORDS = {"backed", "led", "allied", "aligned", "supported", "sponsored", "trained", "armed"}
_MAX_WORDS = 6


def focus_country(analysis: Analysis, resources: Resources) -> str | None:
    """The country an article is mostly about: most named among nationalities and countries."""
    counts: Counter[str] = Counter()
    for sentence, doc in zip(analysis.sentences, analysis.docs, strict=True):
        skip = dateline_length(sentence.text) if sentence.is_dateline else 0
        for token in doc:
            if token.idx < skip:
                continue
            country = _country_of_word(fold(token.text), resources)
            if country:
                counts[country] += 1
    return counts.most_common(1)[0][0] if counts else None


def _country_of_word(key: str, resources: Resources) -> str | None:
    if key in resources.dictionaries.nationalities:
        return resources.dictionaries.nationalities[key]
    places = resources.gazetteer.lookup(key) if key else None
    if places and places[0].feature == "country" and places[0].country:
        return resources.iso2_to_iso3.get(places[0].country)
    return None


def is_locative(doc: Any, start: int, end: int, resources: Resources) -> bool:
    """True where the words doc[start:end] stand as a place ("in Syria", "near Damascus")."""
    locative = resources.dictionaries.cues.locative_prepositions
    head = doc[start:end].root
    if head.dep_ == "pobj" and head.head.lower_ in locative:
        return True
    return head.dep_ in {"compound", "nmod"} and head.head.dep_ == "pobj" and head.head.head.lower_ in locative


class _Matcher:
    def __init__(self, doc: Any, sentence: Sentence, analysis: Analysis, resources: Resources,
                 focus: str | None) -> None:
        self.doc = doc
        self.sentence = sentence
        self.analysis = analysis
        self.resources = resources
        self.focus = focus
        self.cased = analysis.shape == RAW
        self.keys = [fold(token.text) for token in doc]
        # Per-token facts read on every candidate span, taken once (spaCy builds a Token per access).
        hyphen = [token.text in {"-", "‐"} and not token.whitespace_ for token in doc]
        self.clean_end = [False] + [bool(self.keys[end - 1]) and not (end < len(doc) and hyphen[end])
                                    for end in range(1, len(doc) + 1)]
        self._spans: dict[int, list[str]] = {}

    def key(self, start: int, end: int) -> str:
        return " ".join(k for k in self.keys[start:end] if k)

    def _candidates(self, start: int, longest: int) -> list[tuple[int, str]]:
        """(end, key) of the spans starting at ``start``, longest first, ending on a clean word."""
        keys = self._spans.get(start)
        if keys is None:
            keys, words = [], []
            for end in range(start + 1, min(len(self.doc), start + _MAX_WORDS) + 1):
                if self.keys[end - 1]:
                    words.append(self.keys[end - 1])
                keys.append(" ".join(words))
            self._spans[start] = keys
        return [(start + offset + 1, key) for offset, key in reversed(list(enumerate(keys[:longest])))
                if self.clean_end[start + offset + 1]]

    def named(self, start: int) -> tuple[int, NamedActor] | None:
        if start >= len(self.doc) or not self.keys[start]:
            return None
        actors = self.resources.dictionaries.actors
        for end, key in self._candidates(start, _MAX_WORDS):
            actor = actors.get(key)
            if actor is not None and self._alias_fits(actor, start, end):
                return end, actor
        return None

    def _alias_fits(self, actor: NamedActor, start: int, end: int) -> bool:
        if not (actor.alias.isupper() and len(actor.alias.replace(".", "")) <= 5):
            return True
        written = self.doc[start:end].text
        if self.cased:
            return written.replace(".", "") == actor.alias.replace(".", "")
        # Lowercased text: "is", "un", "who" are words too; trust them only where a name fits.
        if self.keys[start] not in self.resources.common_words:
            return True
        before = self.doc[start - 1].lower_ if start > 0 else ""
        after = self.doc[end] if end < len(self.doc) else None
        return before in {"by", "against", "from", "with", "of", "the"} and (after is None or after.is_punct)

    def agent(self, start: int) -> tuple[int, Agent] | None:
        if start >= len(self.doc) or not self.keys[start]:
            return None  # "officials, militants": a comma ends a name
        agents = self.resources.dictionaries.agents
        for end, key in self._candidates(start, 4):
            agent = agents.get(key)
            if agent is not None:
                return end, agent
        return None

    def left_modifiers(self, start: int) -> tuple[int, str | None, str | None]:
        """Extend an agent leftwards over country words; return new start, country, type."""
        country: str | None = None
        kind: str | None = None
        position = start
        while position > 0 and start - position < 4:
            token = self.doc[position - 1]
            key = self.keys[position - 1]
            if token.text in {"'s", "’s"} and position > 1:
                owner = _country_of_word(self.keys[position - 2], self.resources)
                if owner:
                    country = country or owner
                    position -= 2
                    continue
                break
            word_country = _country_of_word(key, self.resources)
            if word_country is not None or key in self.resources.dictionaries.nationalities:
                country = country or word_country
                position -= 1
                continue
            if key in _BACKER_WORDS or key.rsplit(" ", 1)[-1] in _BACKER_WORDS:
                return position, None, "backed"  # "U.S.-backed forces": the country is the backer's
            if key in _TYPE_MODIFIERS:
                kind = kind or _TYPE_MODIFIERS[key]
                position -= 1
                continue
            if key in self.resources.dictionaries.cues.agent_descriptors and position - 1 > 0 \
                    and self._nationality_before(position - 1):
                position -= 1  # "Russian attack drones": the nationality is the drones'
                continue
            break
        return position, country, kind

    def _nationality_before(self, position: int) -> bool:
        """True when a country or nationality word comes before ``position``, past descriptors."""
        descriptors = self.resources.dictionaries.cues.agent_descriptors
        while position > 0:
            key = self.keys[position - 1]
            if _country_of_word(key, self.resources) is not None or key in self.resources.dictionaries.nationalities:
                return True
            if key not in descriptors:
                return False
            position -= 1
        return False

    def mention(self, start: int, end: int, actor: Actor) -> ActorMention:
        span = self.doc[start:end]
        first, last = span.start_char, span.end_char
        actor.span = self.sentence.original_span(first, last)
        return ActorMention(actor, self.sentence.index, first, last)


def find(doc: Any, sentence: Sentence, analysis: Analysis, resources: Resources,
         focus: str | None) -> list[ActorMention]:
    """Actor mentions in one parsed sentence."""
    matcher = _Matcher(doc, sentence, analysis, resources, focus)
    names = resources.country_names
    skip_until = dateline_length(sentence.text) if sentence.is_dateline else 0
    found: list[ActorMention] = []
    taken: set[int] = set()
    index = 0
    while index < len(doc):
        if doc[index].idx < skip_until or not matcher.keys[index]:
            index += 1
            continue
        named = matcher.named(index)
        agent = matcher.agent(index)
        if named and not agent:
            # "Syrian government forces": an agent that starts inside a name and runs past it wins.
            for inner in range(index + 1, named[0]):
                longer = matcher.agent(inner)
                if longer and longer[0] > named[0]:
                    named, agent, index = None, longer, inner
                    break
        if named and (not agent or named[0] >= agent[0]):
            end, named_entry = named
            if _is_place_name(named_entry.alias, resources) and _stands_as_a_place(doc, index, end, resources):
                index = end
                continue
            follower = matcher.agent(end)
            if follower:  # "Hamas officials", "Houthi fighters": members speak and act for the group
                end = follower[0]
            actor = Actor(doc[index:end].text, named_entry.canonical, named_entry.country, named_entry.type, sentence.span,
                          found_by=ActorSource.NAMED, entry=named_entry.alias,
                          country_from=CountrySource.DICTIONARY if named_entry.country else CountrySource.NONE)
            found.append(matcher.mention(index, end, actor))
            taken.update(range(index, end))
            index = end
            continue
        if agent:
            end, entry = agent
            follower = matcher.agent(end)
            if follower:  # "army artillery", "government soldiers": the last noun is the agent
                end, entry = follower
            start, country, kind = matcher.left_modifiers(index)
            start = max(start, max(taken) + 1 if taken else 0)
            backed = kind == "backed"
            kind = None if backed else kind
            country_from, country_words = (CountrySource.BACKER if backed else CountrySource.NONE), None
            if country is None and focus and not backed:
                # ACLED's convention too: "Civilians (Sudan)", "Military Forces of Sudan".
                country, country_from = focus, CountrySource.ARTICLE
            elif country:
                country_from, country_words = CountrySource.WRITTEN, doc[start:index].text
            country_name = names.get(country or "", "") if country else ""
            canonical = entry.canonical.replace("{country}", country_name) if country_name else (
                entry.canonical.replace(" of {country}", "").replace(" ({country})", "").replace("{country}", ""))
            actor = Actor(doc[start:end].text, canonical, country, kind or entry.type, sentence.span,
                          found_by=ActorSource.AGENT, entry=entry.phrase, country_from=country_from,
                          country_words=country_words)
            found.append(matcher.mention(start, end, actor))
            taken.update(range(start, end))
            index = end
            continue
        index += 1
    found.extend(_countries(doc, matcher, taken, resources))
    found.extend(_persons(doc, matcher, found))
    found.extend(_organisations(doc, matcher, found))
    found.sort(key=lambda mention: mention.start)
    return found


def _is_place_name(alias: str, resources: Resources) -> bool:
    return resources.gazetteer.lookup(fold(alias)) is not None


def _countries(doc: Any, matcher: _Matcher, taken: set[int], resources: Resources) -> list[ActorMention]:
    """Countries, and capitals standing for their governments, as actors ("backed by Iran",
    "accused Paris of ..."). A capital counts only as the subject or object of a verbal event:
    "missiles hit Kyiv" keeps Kyiv a place."""
    mentions: list[ActorMention] = []
    skip_until = dateline_length(matcher.sentence.text) if matcher.sentence.is_dateline else 0
    index = 0
    while index < len(doc):
        if index in taken or doc[index].idx < skip_until or not doc[index].text[:1].isupper():
            index += 1
            continue
        hit = None
        for end in range(min(len(doc), index + 4), index, -1):
            if any(i in taken for i in range(index, end)) or not matcher.keys[end - 1]:
                continue
            key = matcher.key(index, end)
            places = resources.gazetteer.lookup(key)
            if places and places[0].feature == "country" and places[0].country:
                hit = (end, places[0].country, places[0].name, "state", ActorSource.COUNTRY, key)
                break
            capital = resources.capitals.get(key)
            if capital and _verbal_argument(doc, index, end, resources):
                name = resources.country_names.get(resources.iso2_to_iso3.get(capital, ""), capital)
                hit = (end, capital, f"Government of {name}", "government", ActorSource.CAPITAL, key)
                break
        if hit is None:
            index += 1
            continue
        end, iso2, canonical, kind, found_by, key = hit
        head = doc[index:end].root
        possessor = end < len(doc) and doc[end].text in {"'s", "’s"}
        if is_locative(doc, index, end, resources) or head.dep_ in {"compound", "amod"} or possessor:
            index = end  # "in Syria", "Syria's oil industry": a place or a possessor, not an actor
            continue
        actor = Actor(doc[index:end].text, canonical, resources.iso2_to_iso3.get(iso2), kind, matcher.sentence.span,
                      found_by=found_by, entry=key, country_from=CountrySource.DICTIONARY)
        mentions.append(matcher.mention(index, end, actor))
        index = end
    return mentions


_PHYSICAL_TYPES = {"ASSAULT", "COERCE", "MOBILIZE", "RETREAT", "AID", "PROTEST"}
_MOTION_VERBS = frozenset({"travel", "go", "fly", "return", "arrive", "head", "move", "come", "flee", "drive", "march",
                           "walk", "sail", "rush", "retreat", "withdraw", "advance", "evacuate", "relocate", "deploy"})


def _stands_as_a_place(doc: Any, start: int, end: int, resources: Resources) -> bool:
    """Whether a name a dictionary lists as a government ("Damascus", "Tehran") stands here as
    its city: after a locative preposition ("in Damascus"), as where someone goes ("travelled to
    Tehran"), or as what a physical act was done to ("Damascus is being shelled", "missiles hit
    Kyiv"). As the subject of an act, or what a statement is about, it stays the government."""
    if is_locative(doc, start, end, resources):
        return True
    head = doc[start:end].root
    verb = head.head
    if head.dep_ == "pobj" and verb.lower_ == "to":
        return (verb.head.lemma_ or verb.head.text).lower() in _MOTION_VERBS
    if head.dep_ not in {"nsubjpass", "dobj"}:
        return False
    patterns = resources.dictionaries.verbs.get((verb.lemma_ or verb.text).lower(), [])
    return any(p.plover_type in _PHYSICAL_TYPES for p in patterns)


def _verbal_argument(doc: Any, start: int, end: int, resources: Resources) -> bool:
    """True when doc[start:end] is the subject or object of a statement-like verb."""
    head = doc[start:end].root
    verb = head.head
    if head.dep_ == "pobj" and verb.lower_ in {"with", "to", "against", "on", "by"}:
        verb = verb.head
    elif head.dep_ not in {"nsubj", "dobj", "nsubjpass"}:
        return False
    lemma = (verb.lemma_ or verb.text).lower()
    if lemma in resources.dictionaries.cues.reporting_verbs:
        return True
    patterns = resources.dictionaries.verbs.get(lemma, [])
    return bool(patterns) and all(p.plover_type not in _PHYSICAL_TYPES for p in patterns)


def _inside_a_place_name(doc: Any, entity: Any, resources: Resources) -> bool:
    """True when the words just before a name, with it, are a listed town's name, as a town named
    after a person often is."""
    for before in range(1, 3):
        if entity.start - before < 0:
            break
        words = doc[entity.start - before : entity.end]
        if not words[0].text[:1].isupper():
            break
        if any(p.feature == "city" for p in resources.gazetteer.lookup(fold(words.text)) or ()):
            return True
    return False


_SETTLEMENTS = SETTLEMENT_NOUNS | {"city"}


def _named_as_a_settlement(doc: Any, entity: Any) -> bool:
    """"Ngaoundaye, a town in ...", "the village of Kwarimbo", "Kwarimbo village": words that
    say the name is a place's."""
    after = doc[entity.end : entity.end + 3]
    if len(after) == 3 and after[0].text == "," and after[1].lower_ in {"a", "the"} and after[2].lower_ in _SETTLEMENTS:
        return True
    if entity.end < len(doc) and doc[entity.end].lower_ in _SETTLEMENTS:
        return True
    return entity.start >= 2 and doc[entity.start - 1].lower_ == "of" and doc[entity.start - 2].lower_ in _SETTLEMENTS


def _persons(doc: Any, matcher: _Matcher, found: list[ActorMention]) -> list[ActorMention]:
    """People the NER finds that no dictionary knows. Their country is the nationality written
    before them ("Israeli Defence Minister Yoav Gallant"), else the article's main country."""
    covered = {(m.start, m.end) for m in found}
    mentions: list[ActorMention] = []
    for entity in doc.ents:
        if entity.label_ != "PERSON":
            continue
        if any(start < entity.end_char and entity.start_char < end for start, end in covered):
            continue
        places = matcher.resources.gazetteer.lookup(fold(entity.text))
        if places and (any(p.feature != "city" or p.population >= 15_000 for p in places)
                       or is_locative(doc, entity.start, entity.end, matcher.resources)):
            continue  # "Kharkiv", "the town of Adan Yabaal" taken for a person by the NER: a place
        if _inside_a_place_name(doc, entity, matcher.resources):
            continue  # "Ismail Khan" of "Dera Ismail Khan"
        if _named_as_a_settlement(doc, entity):
            continue  # "overran Ngaoundaye, a town near the border": a town the gazetteer lacks
        country, country_from, country_words = matcher.focus, CountrySource.ARTICLE, None
        for token in reversed(doc[max(0, entity.start - 4) : entity.start]):
            written = _country_of_word(fold(token.text), matcher.resources)
            if written:
                country, country_from, country_words = written, CountrySource.WRITTEN, token.text
                break
        title_words = None
        kind, start = "person", entity.start
        title = next((m for m in found if entity.start > 0 and m.end == doc[entity.start - 1].idx + len(doc[entity.start - 1])
                      and m.actor.type in {"government", "military", "police"}), None)
        if title is not None:
            # "President Gustavo Petro", "Israeli Defence Minister Yoav Gallant": one actor, the title's kind.
            found.remove(title)
            kind, start = title.actor.type or kind, doc.char_span(title.start, title.end, alignment_mode="expand").start
            title_words = title.actor.name
            if title.actor.country and title.actor.country_from is not CountrySource.ARTICLE:
                country, country_from, country_words = title.actor.country, CountrySource.TITLE, title.actor.name
        if country is None:
            country_from = CountrySource.NONE
        actor = Actor(doc[start : entity.end].text, entity.text, country, kind, matcher.sentence.span,
                      found_by=ActorSource.PERSON, entry=title_words, country_from=country_from,
                      country_words=country_words)
        mentions.append(matcher.mention(start, entity.end, actor))
    return mentions


def _organisation_type(words: list[str], cues: Cues) -> tuple[str, str] | None:
    """The actor type an organisation's name gives, and the head word that gave it."""
    for kind, bodies in (("police", cues.police_bodies), ("military", cues.armed_bodies),
                         ("government", cues.government_bodies), ("party", cues.party_bodies),
                         ("ngo", cues.civic_bodies)):
        for word in reversed(words):
            if word in bodies:
                return kind, word
    return None


def _organisations(doc: Any, matcher: _Matcher, found: list[ActorMention]) -> list[ActorMention]:
    """Organisations the NER finds that no dictionary knows, when their name says what they are
    ("the Senate", "Kenya National Union of Teachers", "Ministry of Water"). Their country is a
    nationality or country written in or before the name, else none: an organisation's country
    is not guessed. An armed body with no state named ("Liberation Front of ...") is a rebel group."""
    cues = matcher.resources.dictionaries.cues
    mentions: list[ActorMention] = []
    for entity in doc.ents:
        if entity.label_ not in {"ORG", "NORP"} or (entity.label_ == "NORP" and len(entity) < 2):
            continue
        words = [fold(token.text) for token in entity]
        typed = _organisation_type(words, cues)
        if typed is None:
            continue
        if _is_place_name(" ".join(words), matcher.resources) and is_locative(doc, entity.start, entity.end, matcher.resources):
            continue  # "in the northern Alibori Department": a region the gazetteer holds, named as a place
        overlapping = [m for m in found if m.start < entity.end_char and entity.start_char < m.end]
        if any(m.actor.found_by is not ActorSource.AGENT or not (entity.start_char <= m.start and m.end <= entity.end_char)
               for m in overlapping) or len(entity) < 2:
            continue  # a name the dictionaries know wins; a generic word inside a longer name does not
        for generic in overlapping:  # "Teachers" inside "Kenya National Union of Teachers"
            found.remove(generic)
        kind, head = typed
        country, country_from, country_words = None, CountrySource.NONE, None
        for token in [*entity, *reversed(doc[max(0, entity.start - 3) : entity.start])]:
            written = _country_of_word(fold(token.text), matcher.resources)
            if written:
                country, country_from, country_words = written, CountrySource.WRITTEN, token.text
                break
        if kind == "military" and country is None:
            kind = "rebel"
        actor = Actor(entity.text, entity.text, country, kind, matcher.sentence.span, found_by=ActorSource.ORGANISATION,
                      entry=head, country_from=country_from, country_words=country_words)
        mentions.append(matcher.mention(entity.start, entity.end, actor))
    return mentions


def run(analysis: Analysis, resources: Resources) -> None:
    focus = analysis.focus_country = focus_country(analysis, resources)
    analysis.actors = []
    for sentence, doc in zip(analysis.sentences, analysis.docs, strict=True):
        analysis.actors.extend(find(doc, sentence, analysis, resources, focus))


STAGE = ArticleStage("actors", reads=("sentences", "docs", "shape"), writes=("actors", "focus_country"), step=run)
