"""Toponym recognition that needs neither capitals nor a parse.

The text is cut into word tokens once; at each token the longest run of up to five tokens whose
folded form is a gazetteer name is a candidate (one in-memory dictionary look-up per run). A
decision from the words around it then keeps or drops it: a common word ("split", "reading")
is a place only when written with a capital and not opening a sentence; a small town's name next
to a title ("Mr. Lincoln") or inside a longer capitalised name ("Toyota Motor", "Jackson
Smith") is a person or an organisation; in text without capitals, single common-looking words
need a locative word before them ("in", "near") or a cue word ("province"). Named-entity spans, when
a caller has them, are evidence for these decisions, never a gate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from warmonitor.gazetteer import Candidate, Gazetteer, NameKind
from warmonitor.geo.resolve import CUE_FEATURES, Mention
from warmonitor.lexicon import MONTHS, NAME_PARTICLES, NUMBER_WORDS, WEEKDAYS, fold

MAX_WORDS = 5
# Words with inner dots, apostrophes and hyphens ("W.Va.", "al-Zor"); a final dot stays only on
# dotted abbreviations ("U.S."), so "in Syria." ends at "Syria".
_TOKEN = re.compile(r"[^\W_]+(?:[.'’\-&][^\W_]+)*(?:(?<=\.[^\W_])\.|(?<=\.[^\W_]{2})\.)?")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "president", "gov", "governor", "sen",
                     "senator", "rep", "representative", "gen", "general", "col", "capt", "sgt", "lt", "judge", "justice",
                     "mayor", "minister", "secretary", "king", "queen", "prince", "princess", "pope", "saint", "st",
                     "rev", "father", "sister", "brother", "coach", "officer", "chief", "professor", "prof", "dean"})
_LOCATIVES = frozenset({"in", "near", "at", "outside", "around", "into", "toward", "towards", "across", "from", "to",
                        "inside", "through", "throughout", "within", "of", "via", "between", "and", "off", "northern",
                        "southern", "eastern", "western", "central", "north", "south", "east", "west", "visit",
                        "visited", "entered", "left", "reached", "struck", "hit", "shelled", "bombed", "attacked"})
_NEVER = frozenset({"the", "a", "an", "this", "that", "state", "center", "centre", "area", "media", "military",
                    "university", "airport", "police", "army", "government", "president", "minister", "news",
                    "island", "street", "north", "south", "east", "west", "central", "city", "town", "village",
                    "capital", "province", "region", "district", "border", "base", "camp", "desert", "headquarters",
                    "office", "front", "line", "lines", "county", "parish", "river", "lake", "sea", "world",
                    *WEEKDAYS, *MONTHS,
                    # counts ("Four suspected guerrillas died"), never the hamlets that share the word
                    *NUMBER_WORDS, "thousand", "thousands"})
_CONTAINER_FEATURES = frozenset({"country", "admin1"})
# Nouns that follow a country's short name ("us troops", "us ambassador"), never the pronoun "us".
_AFTER_A_COUNTRY = frozenset({"officials", "official", "president", "forces", "troops", "soldiers", "ambassador", "embassy",
                              "government", "military", "navy", "army", "administration", "federal", "secretary",
                              "senator", "senators", "congress", "senate", "dollar", "dollars", "economy", "citizens",
                              "citizen", "envoy", "diplomat", "diplomats", "intelligence", "authorities", "allies",
                              "sanctions", "treasury", "department", "state", "states", "led", "backed", "based",
                              "air", "drone", "strikes", "warplanes", "consulate", "elections", "election", "politics",
                              "market", "markets", "stocks", "shares", "central", "supreme", "house", "defense",
                              "defence", "marines", "coalition", "policy", "trade", "tariffs", "border", "mainland"})
# Nouns a town's name modifies in local news, which say the name is the town's ("gainesville police",
# "a harlem woman", "the trenton city council"), as capitals would.
_CIVIC_NOUNS = frozenset({"police", "mayor", "residents", "resident", "native", "man", "woman", "teen", "teenager",
                          "boy", "girl", "couple", "family", "officials", "council", "councilman", "councilwoman",
                          "commissioners", "schools", "firefighters", "fire", "sheriff", "township", "borough"})
_STREET_WORDS = frozenset({"street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "drive", "square",
                           "place", "way", "rue", "via", "calle", "highway", "bridge", "park", "fields"})


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    key: str


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if word[-2:].lower() in {"'s", "’s"}:
            word = word[:-2]  # "Lebanon's army": the place ends before the possessive
        tokens.append(Token(match.start(), match.start() + len(word), word, fold(word)))
    return tokens


def is_lowercased(text: str) -> bool:
    """True for text that carries (almost) no capitals: the research corpora's shape."""
    head = text[:5000]
    letters = sum(map(str.isalpha, head))
    capitals = sum(map(str.isupper, head))
    return letters > 0 and capitals < 0.005 * letters


class Recognizer:
    """Finds toponyms in raw text with the gazetteer's in-memory index."""

    def __init__(self, gazetteer: Gazetteer, common_words: frozenset[str], common_nouns: frozenset[str]) -> None:
        self.gazetteer = gazetteer
        self.common_words = common_words
        self.common_nouns = common_nouns

    def find(self, text: str, skip_until: int = 0) -> list[Mention]:
        """Every toponym of a text, in order, not overlapping, each with its candidates."""
        tokens = tokenize(text)
        keys = [t.key for t in tokens]
        lowercased = is_lowercased(text)
        mentions: list[Mention] = []
        index = 0
        while index < len(tokens):
            if tokens[index].start < skip_until:
                index += 1
                continue
            hit = self._longest(text, tokens, keys, index, lowercased)
            if hit is None:
                index += 1
                continue
            end, candidates = hit
            first, last = tokens[index], tokens[end - 1]
            surface = text[first.start:last.end]
            mentions.append(Mention(first.start, last.end, surface, " ".join(keys[index:end]), candidates,
                                    cue=cue_feature(keys, index, end), acronym=not lowercased and _acronym(surface)))
            index = end
        if lowercased:
            mentions = self._repeated(text, tokens, keys, mentions)
        link_containers(text, mentions)
        return mentions

    def _repeated(self, text: str, tokens: list[Token], keys: list[str], mentions: list[Mention]) -> list[Mention]:
        """In text without capitals, a name taken as a place once ("in gainesville") is the same place
        where the words around it say less ("gainesville officials"), as a capital would have said: one
        sense per article. Words the lexicon knows as verbs or adjectives ("reading", "split") and
        demonyms are left to their context."""
        sure = {m.key: m for m in mentions if m.key not in self.common_words and m.key not in _NEVER
                and not all(c.kind is NameKind.DEMONYM for c in m.candidates)}
        if not sure:
            return mentions
        taken = [False] * len(tokens)
        position = {t.start: i for i, t in enumerate(tokens)}
        for mention in mentions:
            first = position.get(mention.start)
            while first is not None and first < len(tokens) and tokens[first].start < mention.end:
                taken[first] = True
                first += 1
        longest = max(len(key.split()) for key in sure)
        added: list[Mention] = []
        index = 0
        while index < len(tokens):
            seen = None
            for end in range(min(len(tokens), index + longest), index, -1):
                seen = None if any(taken[index:end]) else sure.get(" ".join(keys[index:end]))
                if seen is not None:
                    break
            if seen is None:
                index += 1
                continue
            start, stop = tokens[index].start, tokens[end - 1].end
            added.append(Mention(start, stop, text[start:stop], seen.key, seen.candidates,
                                 cue=cue_feature(keys, index, end)))
            index = end
        return sorted([*mentions, *added], key=lambda m: m.start)

    def _longest(self, text: str, tokens: list[Token], keys: list[str], index: int,
                 lowercased: bool) -> tuple[int, tuple[Candidate, ...]] | None:
        if not lowercased and not _capitalised(tokens[index].text) and keys[index] not in NAME_PARTICLES \
                and keys[index] not in {"the", "a", "an"}:
            return None  # in cased text a name starts with a capital ("al-Hasakah"), a particle or an article
        # A token may hold several words ("ez-Zor" is "ez zor"): the indexes count words.
        words = keys[index].split()
        if not words:
            return None
        longest = min(self.gazetteer.name_lengths.get(words[0], 0), MAX_WORDS)
        if len(words) == 1 and longest > 1 and (
                index + 1 >= len(tokens)
                or " ".join(f"{words[0]} {keys[index + 1]}".split()[:2]) not in self.gazetteer.name_openings):
            longest = 1
        for end in range(min(len(tokens), index + longest), index, -1):
            key = " ".join(keys[index:end])
            if key not in self.gazetteer:
                continue
            candidates = self.gazetteer.candidates(key)
            dotted = text[tokens[end - 1].end:tokens[end - 1].end + 1] == "."
            bracketed = text[tokens[index].start - 1:tokens[index].start] == "(" \
                and text[tokens[end - 1].end:tokens[end - 1].end + 1] == ")"
            after_comma = text[max(0, tokens[index].start - 3):tokens[index].start].rstrip().endswith(",")
            candidates = self._usable(candidates, tokens[index:end], lowercased, dotted, bracketed, after_comma)
            if candidates and self._plausible(text, tokens, keys, index, end, candidates, lowercased):
                return end, candidates
        return None

    @staticmethod
    def _usable(candidates: tuple[Candidate, ...], words: list[Token], lowercased: bool,
                dotted: bool, bracketed: bool, after_comma: bool = False) -> tuple[Candidate, ...]:
        """An abbreviation counts only as written: capitals or dots, in cased text ("Ky.", "KY", not "ky"),
        and not alone in brackets, where capitals are a wire service's credit or a name's short form
        ("(AP)", "Islamic State (IS)"). In text without capitals, dots after a comma ("charleston, w.va.")."""
        surface = "".join(t.text for t in words)
        written_short = not lowercased and not bracketed and (surface.isupper() or "." in surface or dotted)
        written_short = written_short or (lowercased and after_comma and ("." in surface or dotted))
        return tuple(c for c in candidates if c.kind is not NameKind.ABBREVIATION or written_short)

    def _plausible(self, text: str, tokens: list[Token], keys: list[str], index: int, end: int,
                   candidates: tuple[Candidate, ...], lowercased: bool) -> bool:
        words = keys[index:end]
        first = tokens[index]
        if words[0] in _NEVER and len(words) == 1:
            return False
        if words[0] in {"the", "a", "an"} and not lowercased and not first.text[:1].isupper():
            return False
        # In lowercased text a country, a demonym or a large city is a place even when the
        # lexicon knows its word ("germany", "european"); other ordinary words need more.
        known = lowercased and len(words) == 1 and known_without_capitals(words[0], candidates, self.common_words)
        previous = keys[index - 1] if index > 0 else ""
        locative = previous in _LOCATIVES or cue_feature(keys, index, end) is not None
        if lowercased and len(words) > 1 and words[0] not in {"the", "a", "an"}:
            # a name of several ordinary words: a sea, a region or a country by its own name ("red sea",
            # "middle east"), or a town after "in" ("in mount pleasant")
            known = any(c.kind is NameKind.NAME and (c.place.feature in {"country", "admin1", "water", "region", "continent"}
                                                     or (locative and c.place.population >= 10_000))
                        for c in candidates)
        if lowercased and len(words) == 1 and len(words[0]) == 2 and any(
                c.kind is NameKind.NAME and c.place.feature in {"country", "region"} for c in candidates):
            # "uk", "eu"; "us" only as a country is written: "the us", "us troops", not "told us"
            next_word = keys[end] if end < len(keys) else ""
            known = words[0] not in self.common_words or previous == "the" or next_word in _AFTER_A_COUNTRY
            if known:
                return True
        if all(w in self.common_words or w in _NEVER or len(w) < 3 for w in words) and not known and (
                lowercased or not all(_capitalised(t.text) for t in tokens[index:end] if t.key not in NAME_PARTICLES)):
            return False  # "split", "nice", "us" in lowercased text; "Split" written with a capital may be a place
        big = any(c.place.feature not in {"city", "admin2", "airport"} or c.place.population >= 100_000 for c in candidates)
        if lowercased:
            civic = end < len(keys) and keys[end] in _CIVIC_NOUNS
            if len(words) == 1 and words[0] in self.common_words:
                return (locative and big) or known
            if len(words) == 1 and words[0] in self.common_nouns:
                # the noun list also holds towns by name ("gainesville", "shreveport"): "gainesville police"
                # is the town's, "buffalo" alone is an animal
                town = any(c.place.feature == "city" and c.place.population >= 10_000 for c in candidates)
                return (locative and big) or known or (civic and town)
            return big or locative or civic or len(words) > 1
        if not any(_capitalised(t.text) for t in tokens[index:end] if t.key not in NAME_PARTICLES):
            return False
        sentence_start = index == 0 or text[tokens[index - 1].end:first.start].strip() in {".", "!", "?", "\"", "“"}
        if sentence_start and len(words) == 1 and words[0] in self.common_words and not big:
            return False  # "Reading the report...": a capital only because the sentence starts
        if previous in _TITLES and tokens[index - 1].text[:1].isupper():
            return False  # "Mr. Lincoln", "Gov. Jackson"
        if len(words) == 1 and not big and not locative:
            following = tokens[end] if end < len(tokens) else None
            joined = following is not None and text[tokens[end - 1].end:following.start] == " "
            if joined and following is not None and following.text[:1].isupper() and following.key not in CUE_FEATURES:
                return False  # "Toyota Motor", "Jackson Smith": part of a longer name
            if index > 0 and text[tokens[index - 1].end:first.start] == " " and tokens[index - 1].text[:1].isupper() \
                    and not sentence_start and previous not in NAME_PARTICLES and previous not in _LOCATIVES:
                return False  # "Andrew Jackson"
            if first.text.isupper() and len(first.text) <= 5:
                return False  # "AMLO", "TASS": an acronym, not the village of the same letters
        return True


def known_without_capitals(word: str, candidates: tuple[Candidate, ...], common_words: frozenset[str]) -> bool:
    """A word the lexicon also knows that names a place even in lowercased text: a country by
    its name ("germany", "china", which the noun list holds as proper names), a demonym of a
    country or continent ("european", "mexican"), or, when it is no adjective or verb as well, a
    first-level region or a city of half a million ("toronto", "california"; not "bath")."""
    if word in _NEVER or len(word) < 4:
        return False
    for candidate in candidates:
        place, kind = candidate.place, candidate.kind
        if place.feature == "country" and kind in {NameKind.NAME, NameKind.ALTERNATE}:
            return True
        if kind is NameKind.DEMONYM and place.feature in {"country", "continent"}:
            return True
        if word not in common_words and kind is NameKind.NAME and (
                place.feature == "admin1" or (place.feature == "city" and place.population >= 500_000)):
            return True
    return False


def _capitalised(word: str) -> bool:
    """"Aleppo", and "al-Hasakah", whose capital follows a lower-case article."""
    return any(part[:1].isupper() for part in re.split(r"[-'’]", word))


def cue_feature(keys: Sequence[str], index: int, end: int) -> str | None:
    """The feature a cue word next to the name ``keys[index:end]`` asks for (folded words of a
    text): "X County", "the city of X", "X river"."""
    if end < len(keys) and keys[end] in CUE_FEATURES:
        return CUE_FEATURES[keys[end]]
    if index >= 2 and keys[index - 1] == "of" and keys[index - 2] in CUE_FEATURES:
        return CUE_FEATURES[keys[index - 2]]
    return CUE_FEATURES.get(keys[end - 1]) if end - index > 1 else None


# What may stand between a place and the region written after it: a comma or an opening bracket,
# then up to two more names of smaller units ("Gana (Damboa, Borno)", "Cruz Grande, Izalco, Sonsonate").
_UNIT = r"\s+(?:district|village|town|city|township|county|area|sub-county|municipality)"
_CONTAINER_GAP = re.compile(
    rf"(?:{_UNIT})?\s*[,(]\s*(?:[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){{0,2}}\s*,\s*){{0,2}}|"
    rf"\s+in\s+the{_UNIT}\s+of\s+")  # "the village of Mabini in the town of Las Navas"
_UNIT_BEFORE_COMMA = re.compile(rf"{_UNIT}\s*,")


def link_containers(text: str, mentions: list[Mention]) -> None:
    """"Paris, Ill.", "Kani, Myanmar", "Gana (Damboa, Borno)": a region or country written right
    after a place, after a comma or in brackets, is where that place is. Mentions may come in any
    order (a caller's spans)."""
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    for position, here in enumerate(order):
        place = mentions[here]
        for after in order[position + 1:position + 4]:  # the smaller units in between may be places too
            region = mentions[after]
            gap = text[place.end:region.start]
            if not _CONTAINER_GAP.fullmatch(gap):
                break
            within_a_unit = "," not in gap and "(" not in gap  # "in the town of Las Navas": a town may hold it
            if any(c.place.feature in _CONTAINER_FEATURES or (within_a_unit and c.place.feature in {"city", "admin2"})
                   for c in region.candidates):
                place.container = after
                # "Gana (Damboa, Borno)", "Kartal town, Istanbul" and "Cruz Grande, Izalco, Sonsonate" are
                # addresses, sure to name where the place is; "Aleppo, Idlib" may be a list.
                place.container_sure = "(" in gap or gap.count(",") > 1 or bool(_UNIT_BEFORE_COMMA.match(gap)) \
                    or within_a_unit
                place.container_is_a_town = within_a_unit
                region.holds = True
                break


def mentions_for_spans(text: str, spans: Sequence[tuple[int, int]], gazetteer: Gazetteer,
                       common_words: frozenset[str] = frozenset()) -> list[Mention]:
    """The mentions a caller's own recogniser found, one per span, each with every candidate its
    words may name ("the Kentucky", "Americans" and "W.Va." are tried as "kentucky", "american", "w.va")."""
    tokens = tokenize(text)
    keys = [t.key for t in tokens]
    lowercased = is_lowercased(text)
    mentions = []
    for start, end in spans:
        words = text[start:end]
        folded = fold(words)
        candidates: tuple[Candidate, ...] = ()
        for key in _variants(words):
            candidates = gazetteer.candidates(key)
            if key != folded and len(key.split()) < len(folded.split()):
                # "northern Syria" is in Syria; "Central American" is no demonym of the United States.
                candidates = tuple(c for c in candidates if c.kind is not NameKind.DEMONYM)
            if candidates:
                break
        inside = [i for i, t in enumerate(tokens) if start <= t.start and t.end <= end]
        cue = cue_feature(keys, inside[0], inside[-1] + 1) if inside else None
        within = None
        if not candidates and len(inside) > 1:
            within, candidates = _place_within(tokens[inside[0]:inside[-1] + 1], gazetteer, common_words)
        mentions.append(Mention(start, end, words, folded, candidates, cue=cue, within=within,
                                acronym=not lowercased and _acronym(words)))
    link_containers(text, mentions)
    return mentions


def _acronym(words: str) -> bool:
    """"EU", "U.A.E.": up to four letters, all capitals."""
    letters = [ch for ch in words if ch.isalpha()]
    return 0 < len(letters) <= 4 and all(ch.isupper() for ch in letters)


def _place_within(words: Sequence[Token], gazetteer: Gazetteer,
                  common_words: frozenset[str]) -> tuple[str | None, tuple[Candidate, ...]]:
    """A name the gazetteer lacks that starts with a place's own name ("Seoul Central District Court",
    "Windsor Castle", "Liverpool Academy") is placed where that place is. Only a leading run, written
    with capitals, of words that are not ordinary ones: a street or a firm named after a place, or an
    ordinary word that happens to name a village ("Union", "Summit"), would mislead."""
    if words[-1].key in _STREET_WORDS or words[0].key in _STREET_WORDS:
        return None, ()
    for size in range(len(words) - 1, 0, -1):
        run = words[:size]
        if not all(t.text[:1].isupper() for t in run) or all(t.key in common_words or t.key in _NEVER for t in run):
            continue
        key = " ".join(t.key for t in run)
        candidates = tuple(c for c in gazetteer.candidates(key) if c.kind is NameKind.NAME)
        if candidates:
            return key, candidates
    return None, ()


def _variants(words: str) -> list[str]:
    key = fold(words)
    out = [key]
    parts = key.split()
    if parts and parts[0] == "the" and len(parts) > 1:
        out.append(" ".join(parts[1:]))
    if key.endswith("s"):
        out.append(key[:-1])  # "Americans", "Iraqis"
    if key.endswith("ns"):
        out.append(key[:-2])
    if len(parts) > 1 and parts[-1] in CUE_FEATURES:
        out.append(" ".join(parts[:-1]))
    if len(parts) > 1 and parts[0] in {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                                       "central", "upper", "lower", "greater"}:
        out.append(" ".join(parts[1:]))
    out.append(key.replace(".", ""))
    return [k for k in dict.fromkeys(out) if k]
