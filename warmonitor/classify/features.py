"""Features of a sentence for the event classifier, the same for every shape of text.

Text is lowercased and split into words the same way whether it came as cased prose, as a
tokenized research corpus ("syria s army", "did n t") or as lowercased prose with mojibake, so one
model serves all shapes. A sentence's features are its words, word pairs and character 4-grams,
plus what the project's dictionaries know about its words (``group:…``, ``actor:…``, ``verb:…``,
``cue:…``). Features are hashed into a fixed space (:data:`BUCKETS`) with CRC-32, which is
stable across runs and machines.
"""

from __future__ import annotations

import re
import tomllib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from warmonitor.dictionaries import Dictionaries, VerbPattern

WORD_GROUPS = Path(__file__).resolve().parents[1] / "data" / "classifier" / "word-groups.toml"
BUCKET_BITS = 21
BUCKETS = 1 << BUCKET_BITS
_MOJIBAKE = re.compile(r"â€[\x80-\x9f\u0080-\u00ff\u2018-\u201d\u2122\u0153\u02dc\ufffd]?")
_TOKEN = re.compile(r"[a-z]+(?:-[a-z]+)*|\d+(?:[.,]\d+)*")
_MAX_PHRASE = 4
_READINGS_KEPT = 4096  # texts whose reading is kept: more than one batch of sentences
_UNREAL_CUES = frozenset({"cue:negation", "cue:hypothetical", "cue:planned"})
_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                     "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                     "nov", "dec"})


def words(text: str) -> list[str]:
    """Lowercased words; numbers become ``<num>`` (``<year>`` for 1900–2099); a dropped
    apostrophe's pieces are rejoined ("didn t" → "did", "not"; "syria s" → "syria")."""
    lowered = _MOJIBAKE.sub("'", text.lower()).replace("’", "'")
    lowered = re.sub(r"(?<=\w)n(?:'| )t\b", " not", lowered)
    tokens: list[str] = []
    for token in _TOKEN.findall(lowered):
        if token[0].isdigit():
            digits = token.replace(",", "").split(".")[0]
            if len(digits) == 4 and digits[:2] in {"19", "20"}:
                # "on 4 february 2022" dates one event; "in 2014", "since 2009" point to the past.
                dated = bool(tokens) and (tokens[-1] in _MONTHS or (tokens[-1] == "<num>" and len(tokens) > 1
                                                                   and tokens[-2] in _MONTHS))
                tokens.append("<dated-year>" if dated else "<year>")
            else:
                tokens.append("<num>")
        elif token in {"s", "d", "ll", "re", "ve", "m"} and tokens:
            continue  # the clitic of a dropped apostrophe
        else:
            tokens.append(token)
    return tokens


_IRREGULAR = {
    "driven": "drive", "drove": "drive", "struck": "strike", "stricken": "strike", "shot": "shoot", "fought": "fight",
    "taken": "take", "took": "take", "overran": "overrun", "beaten": "beat", "thrown": "throw", "threw": "throw",
    "stolen": "steal", "stole": "steal", "hit": "hit", "held": "hold", "caught": "catch", "blew": "blow",
    "blown": "blow", "burnt": "burn", "led": "lead", "sent": "send", "brought": "bring", "broke": "break",
    "broken": "break", "fled": "flee", "slain": "slay", "slew": "slay", "sought": "seek", "won": "win",
    "withdrew": "withdraw", "withdrawn": "withdraw", "forbade": "forbid", "forbidden": "forbid", "met": "meet",
    "spoke": "speak", "spoken": "speak", "told": "tell", "gave": "give", "given": "give", "began": "begin",
    "begun": "begin", "rode": "ride", "laid": "lay", "rose": "rise", "risen": "rise", "swept": "sweep",
}  # fmt: skip


def _stems(word: str) -> Iterable[str]:
    """Candidate lemmas of an inflected English word, for looking verbs up before any parse."""
    yield word
    if word in _IRREGULAR:
        yield _IRREGULAR[word]
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                                ("ing", ""), ("ing", "e"), ("d", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: len(word) - len(suffix)] + replacement
            yield stem
            if len(stem) >= 4 and stem[-1] == stem[-2] and replacement == "":
                yield stem[:-1]  # "shelled" → "shell"; "shipped" → "ship"


_ObjectRow = tuple[frozenset[str], tuple[str, ...]]  # a row's object words and the features it raises
_VerbEntry = tuple[tuple[str, ...], tuple[_ObjectRow, ...]]  # features needing no object; rows needing one


@dataclass(slots=True)
class FeatureLexicon:
    """Phrases (tuples of words) → the rule features they raise."""

    phrases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    verbs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lemma → verb features
    # lemma → (object words, verb features) of rows that need one of those words ("make" + "arrest"):
    # "made" alone names no event, so it raises its features only beside one of its objects
    object_verbs: dict[str, tuple[_ObjectRow, ...]] = field(default_factory=dict)
    _verb_cache: dict[str, _VerbEntry] = field(default_factory=dict, repr=False)
    _readings: dict[str, tuple[list[str], frozenset[str]]] = field(default_factory=dict, repr=False)

    def add(self, phrase: str, feature: str) -> None:
        key = tuple(words(phrase))
        if key and len(key) <= _MAX_PHRASE and feature not in self.phrases.get(key, ()):
            self.phrases[key] = (*self.phrases.get(key, ()), feature)

    def add_name(self, alias: str, feature: str) -> None:
        """A dictionary name, also in its hyphenated spelling: folded aliases lose their hyphens
        ("al shabaab"), texts keep them ("al-Shabaab")."""
        self.add(alias, feature)
        if " " in alias:
            self.add(alias.replace(" ", "-"), feature)

    @classmethod
    def build(cls, dictionaries: Dictionaries, groups_file: Path = WORD_GROUPS) -> FeatureLexicon:
        lexicon = cls()
        groups = tomllib.loads(groups_file.read_text(encoding="utf-8")).get("groups", {})
        for name, members in sorted(groups.items()):
            for member in members:
                lexicon.add(member, f"group:{name}")
        for alias, actor in sorted(dictionaries.actors.items()):
            lexicon.add_name(alias, f"actor:{actor.type}")
        for phrase, agent in sorted(dictionaries.agents.items()):
            lexicon.add_name(phrase, f"actor:{agent.type}")
        cues = dictionaries.cues
        for cue_name, cue_words in (("negation", cues.negation), ("hypothetical", cues.hypothetical),
                                    ("planned", cues.planned), ("ongoing", cues.ongoing)):
            for word in sorted(cue_words):
                lexicon.add(word, f"cue:{cue_name}")
        for phrase in sorted(cues.future_time):
            lexicon.add(phrase, "cue:planned")
        for lemma, patterns in sorted(dictionaries.verbs.items()):
            free = [p for p in patterns if not p.objects or p.objects == {"-"}]
            if free:
                lexicon.verbs[lemma] = _verb_features(free)
            constrained = [p for p in patterns if p.objects and p.objects != {"-"}]
            if constrained:
                lexicon.object_verbs[lemma] = tuple((p.objects, _verb_features([p])) for p in constrained)
        for lemma, pattern in sorted(dictionaries.nouns.items()):
            lexicon.add(lemma, f"noun:{pattern.plover_type}")
            if pattern.acled_sub_event_type:
                lexicon.add(lemma, f"noun:{pattern.acled_sub_event_type}")
        return lexicon

    def rule_features(self, tokens: list[str]) -> list[str]:
        found: list[str] = []
        forms: frozenset[str] | None = None  # built on the first verb that needs its object
        for start in range(len(tokens)):
            for length in range(1, _MAX_PHRASE + 1):
                key = tuple(tokens[start : start + length])
                if len(key) < length:
                    break
                found.extend(self.phrases.get(key, ()))
            free, needing_objects = self._verb(tokens[start])
            found.extend(free)
            for objects, features in needing_objects:
                forms = forms if forms is not None else _forms(tokens)
                if objects & forms:
                    found.extend(features)
        return found + conjunctions(found)

    def reading(self, text: str) -> tuple[list[str], frozenset[str]]:
        """A text's words and the rule features they raise. The classifier, the parse gate and the
        events stage all ask about the same sentences, so each text is read once (a bounded cache)."""
        known = self._readings.get(text)
        if known is None:
            tokens = words(text)
            known = (tokens, frozenset(self.rule_features(tokens)))
            if len(self._readings) >= _READINGS_KEPT:
                self._readings.clear()
            self._readings[text] = known
        return known

    def groups_in(self, text: str) -> frozenset[str]:
        """The word groups (``suicide``, ``grenade``, ...) whose words the text contains."""
        return frozenset(name[6:] for name in self.reading(text)[1] if name.startswith("group:"))

    def names_an_event_verb(self, text: str) -> bool:
        """A verb of the dictionaries' event verbs (any inflection) is in the text."""
        return any(name.startswith("verb:") for name in self.reading(text)[1])

    def states_an_unreal_event(self, text: str) -> bool:
        """An event verb of the dictionaries together with a negation, modal or plan cue."""
        found = self.reading(text)[1]
        return self.names_an_event_verb(text) and bool(found & _UNREAL_CUES)

    def _verb(self, word: str) -> _VerbEntry:
        """The features ``word`` raises as a verb of any inflection: those of its rows that need no
        object, and the rows that need one, with their object words."""
        known = self._verb_cache.get(word)
        if known is None:
            stems = list(_stems(word))
            known = (next((self.verbs[stem] for stem in stems if stem in self.verbs), ()),
                     next((self.object_verbs[stem] for stem in stems if stem in self.object_verbs), ()))
            if len(self._verb_cache) < 200_000:  # words repeat across sentences: look each up once
                self._verb_cache[word] = known
        return known


def _verb_features(patterns: Iterable[VerbPattern]) -> tuple[str, ...]:
    rows = list(patterns)
    return tuple(sorted({f"verb:{p.plover_type}" for p in rows} |
                        {f"verb:{p.acled_event_type}" for p in rows if p.acled_event_type}))


def _forms(tokens: list[str]) -> frozenset[str]:
    """The words of a text and their candidate lemmas ("arrests" → "arrest")."""
    return frozenset(form for token in tokens for form in (token, *_stems(token)))


def conjunctions(found: list[str]) -> list[str]:
    """What a bag of words cannot say: who is named first, usually who acts ("government forces
    retook" against "rebels seized"), with each word group and event verb; the first two actors as
    a pair ("police" before "protesters"); and negation, modality or plan cues with each event verb."""
    actors = list(dict.fromkeys(name for name in found if name.startswith("actor:")))
    kinds = sorted({name for name in found if name.startswith(("group:", "verb:"))})
    cues = sorted({name for name in found if name.startswith("cue:")})
    out: list[str] = []
    if actors:
        out.append(f"first_{actors[0]}")
        out.extend(f"x:{actors[0]}+{kind}" for kind in kinds)
        if len(actors) > 1:
            out.append(f"pair:{actors[0]}>{actors[1]}")
    out.extend(f"x:{cue}+{kind}" for cue in cues for kind in kinds if kind.startswith("verb:"))
    return out


def features(text: str, lexicon: FeatureLexicon) -> list[str]:
    """The feature names of one text (repeats collapse when hashed)."""
    tokens, rules = lexicon.reading(text)
    names = [f"w:{token}" for token in tokens]
    names.extend(f"b:{first} {second}" for first, second in pairwise(tokens))
    for token in tokens:
        if len(token) >= 5 and token[0] != "<":
            padded = f" {token} "
            names.extend(f"c:{padded[i:i + 4]}" for i in range(len(padded) - 3))
    names.extend(f"r:{name}" for name in rules)
    if not tokens:
        names.append("empty")
    return names


def hashed(names: Iterable[str]) -> list[int]:
    """Sorted distinct buckets of these feature names."""
    return sorted({zlib.crc32(name.encode("utf-8")) & (BUCKETS - 1) for name in names})
