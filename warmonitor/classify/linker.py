"""The learned event–place linker: of the places in an event's sentence, which one (if any) is
where the event happened.

Each pairing of an event word with one place of its sentence is described by named features read
from the parse: the preposition that attaches the place and the word it hangs on ("the town of",
"the governor of"), the path between the two words, whether the place only modifies a noun
("Caracas' newspaper", "Seville fans") or sits in the subject, its feature type, whether another
candidate lies inside it, which candidate is nearest, and the rule-based verdict of
:mod:`warmonitor.stages.places`. A logistic regression over them (``warmonitor train linker``,
trained on Halterman's event–location sentences) scores every pairing; the best one is the
event's place when its probability reaches the threshold kept in the model's card.

The model folder is ``warmonitor/data/models/linker`` (``model.npz`` and ``card.json``, as the event
classifier's); reading it needs NumPy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from warmonitor.classify.features import hashed
from warmonitor.classify.model import SHIPPED, LinearModel, ModelError
from warmonitor.lexicon import PLACE_NOUNS
from warmonitor.model import Location

SHIPPED_LINKER = SHIPPED.parent / "linker"
PLACE = "place"
OTHER = "other"

# Words before a place that say what it is to the sentence; other words are read as their tag.
_BEFORE = frozenset({"in", "at", "near", "of", "from", "to", "into", "on", "outside", "around", "across", "toward",
                     "towards", "through", "over", "inside", "off", "the", "and", ",", "(", "'s", "by", "for",
                     "against", "with", "between", "within", "west", "east", "north", "south", "northern", "southern",
                     "eastern", "western", "central", "city", "town", "village", "province", "capital", "region",
                     "district", "state", "border"})


@dataclass(frozen=True, slots=True)
class Pairing:
    """One event word and one place of its sentence, as the parse shows them."""

    event_token: Any  # spaCy Token
    place_tokens: Any  # spaCy Span of the place's words
    location: Location
    relation: tuple[float, str] | None  # the rule-based relation (rank, preposition); None: outside the clause

    @property
    def subject(self) -> str:
        """The event's argument whose phrase holds the place (see :func:`subject_phrase`)."""
        return subject_phrase(self.event_token, self.place_tokens.root)


def tree_path(a: Any, b: Any) -> tuple[int, int, list[Any]]:
    """Steps from ``a`` up to the lowest common ancestor, steps from ``b`` up to it, and the tokens
    strictly between ``a`` and that ancestor."""
    up_a = [a, *a.ancestors]
    index_a = {token.i: depth for depth, token in enumerate(up_a)}
    for depth_b, token in enumerate([b, *b.ancestors]):
        if token.i in index_a:
            depth_a = index_a[token.i]
            return depth_a, depth_b, up_a[1:depth_a]
    return len(up_a), len(list(b.ancestors)) + 1, up_a[1:]


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def pairing_features(pairing: Pairing, others: Sequence[Pairing]) -> list[str]:
    """Named features of one pairing; ``others`` are the other pairings of the same event word."""
    event, span, location = pairing.event_token, pairing.place_tokens, pairing.location
    place = span.root
    doc = place.doc
    up_place, up_event, between = tree_path(place, event)
    distance = up_place + up_event
    words_apart = abs(place.i - event.i)
    verbs_between = sum(1 for token in between if token.pos_ in {"VERB", "AUX"})
    feature = location.feature if location.gazetteer_key else "unlisted"
    out = [
        "bias", f"feature={feature}", f"precision={location.precision}",
        f"dep={place.dep_}", f"dep2={place.dep_}<{place.head.dep_}",
        f"tree={_bucket(distance, (1, 2, 3, 4, 6))}", f"apart={_bucket(words_apart, (2, 5, 10, 20))}",
        f"side={'before' if place.i < event.i else 'after'}",
        f"verbs_between={min(verbs_between, 2)}",
        f"event_above={up_event == 0}", f"event_tag={event.tag_}",
    ]
    if pairing.relation is None:
        rule, rule_preposition = "outside", ""
    else:
        rank, rule_preposition = pairing.relation
        rule = "direct" if rank < 1 else ("nested" if rank < 2 else "shared_subject")
    out += [f"rule={rule}", f"rule_prep={rule_preposition}", f"rule_prep*feature={rule_preposition}*{feature}",
            f"rule*feature={rule}*{feature}"]
    # A place in a list ("in Rwanda, France and Kenya") stands where the list's first item stands.
    first = place
    while first.dep_ == "conj" and first.head.i != first.i and first.head.i != event.i:
        first = first.head
    listed = first is not place or any(child.dep_ == "conj" for child in place.children)
    if listed:  # "the embassies of Rwanda, France and the United States": a list names parties more than places
        out += ["in_list", f"in_list*feature={feature}"]
    if first.dep_ == "pobj":
        preposition = first.head
        attach = preposition.head
        on = "event" if attach.i == event.i else attach.pos_
        # the word the preposition hangs on: a common noun says much ("the town of", "the governor of")
        attach_word = attach.lemma_.lower() if attach.pos_ == "NOUN" else on
        out += [f"prep={preposition.lower_}", f"prep_on={on}", f"prep*on={preposition.lower_}*{on}",
                f"prep*attach={preposition.lower_}*{attach_word}", f"prep*rule={preposition.lower_}*{rule}"]
        if attach.pos_ == "NOUN":  # "the town of Boni" names a place; "the embassy of Rwanda" an owner
            kind = "place_noun" if attach_word in PLACE_NOUNS else "other_noun"
            out += [f"noun_kind={kind}", f"prep*noun_kind={preposition.lower_}*{kind}"]
    elif first.dep_ in {"compound", "amod", "poss", "nmod", "npadvmod", "nummod"}:
        head_word = first.head.lemma_.lower() if first.head.pos_ == "NOUN" else first.head.pos_
        out += [f"modifies={first.dep_}*{first.head.pos_}", f"modifies_word={head_word}"]
    elif first.head.i == event.i:
        out.append(f"argument={first.dep_}")
    if first.head.i == event.i or (first.dep_ == "pobj" and first.head.head.i == event.i):
        out.append("attached_to_event")
    # The preposition by which the place's phrase hangs on the event word ("marched to … in Kinshasa": to).
    top = next((token for token in [place, *between] if token.head.i == event.i), None)
    if top is not None:
        out.append(f"top={top.lower_ if top.dep_ == 'prep' else top.dep_}")
        out.append(f"top*feature={top.lower_ if top.dep_ == 'prep' else top.dep_}*{feature}")
    phrase = pairing.subject
    if phrase:
        out += [f"subject_phrase={phrase}", f"subject_phrase*feature={phrase}*{feature}"]
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    out.append("before=" + ("START" if before is None else before.lower_ if before.lower_ in _BEFORE else before.tag_))
    out.append("after=" + ("END" if after is None else after.lower_ if after.lower_ in {",", "'s", ".", "(", "and"}
                           else after.tag_))
    if after is not None and after.tag_ in {"NNP", "NNPS", "NN", "NNS"} and place.dep_ != "pobj":
        out.append(f"named_thing={after.tag_}")  # "Caracas Diario", "Seville fans"
    if span.start <= 1:
        out.append("opens_sentence")
    # Nearness among the sentence's places, and which holds which ("al-Tijara in central Damascus").
    if not others:
        out.append("only_place")
    else:
        nearest_tree = all(distance <= sum(tree_path(o.place_tokens.root, o.event_token)[:2]) for o in others)
        nearest_word = all(words_apart <= abs(o.place_tokens.root.i - o.event_token.i) for o in others)
        out += [f"nearest_tree={nearest_tree}", f"nearest_word={nearest_word}",
                f"places={_bucket(len(others) + 1, (2, 3, 5))}"]
        if any(_holds(pairing.location, o.location) for o in others):
            out.append("holds_another")
        if any(_holds(o.location, pairing.location) for o in others):
            out.append("inside_another")
    return out


def subject_phrase(event: Any, place: Any) -> str:
    """The event's argument whose phrase holds the place: its subject ("a warship in the Black
    Sea fired"), its passive subject ("fighters in Tabqa were killed"), its agent ("killed by
    gunmen in Caruaru"); a verb told on ("shot and killed") shares its first verb's. Empty if none."""
    verbs = [event]
    if event.dep_ == "conj" or (event.dep_ == "advcl" and event.tag_ == "VBG"):
        verbs.append(event.head)
    for verb in verbs:
        for child in verb.children:
            argument = child.dep_
            if argument == "agent":
                holders = [grandchild for grandchild in child.children if grandchild.dep_ == "pobj"]
            elif argument in {"nsubj", "nsubjpass"}:
                holders = [child]
            else:
                continue
            if any(holder.left_edge.i <= place.i <= holder.right_edge.i for holder in holders):
                return argument
    return ""


def pairing_rows(pairings: Sequence[Pairing]) -> list[list[int]]:
    """Each pairing's hashed features, read beside the other pairings of its event word."""
    return [hashed(pairing_features(p, [o for o in pairings if o is not p])) for p in pairings]


def _holds(outer: Location, inner: Location) -> bool:
    """Whether ``outer`` is a region or country ``inner`` lies in (a place the gazetteer lacks lies
    in the place it was put at)."""
    if outer is inner:
        return False
    if not inner.gazetteer_key and outer.gazetteer_key and (inner.lat, inner.lon) == (outer.lat, outer.lon):
        return True
    if outer.feature == "country":
        return inner.feature != "country" and outer.country is not None and outer.country == inner.country
    if outer.feature in {"admin1", "region"}:
        return inner.feature == "city" and outer.country == inner.country and outer.admin1 is not None \
            and outer.admin1 == inner.admin1
    return False


class PlaceLinker:
    """Scores pairings with a two-class linear model; picks the place of an event word."""

    def __init__(self, model: LinearModel) -> None:
        if set(model.classes) != {PLACE, OTHER}:
            raise ModelError(f"a linker model has the classes {PLACE!r} and {OTHER!r}, not {model.classes}")
        self.model = model
        self.threshold = float(model.card.get("threshold", 0.5))
        self._column = model.classes.index(PLACE)

    @classmethod
    def load(cls, folder: Path = SHIPPED_LINKER) -> PlaceLinker:
        return cls(LinearModel.load(folder))

    def probabilities(self, pairings: Sequence[Pairing]) -> np.ndarray:
        """The probability that each pairing's place is where its event happened."""
        if not pairings:
            return np.zeros(0)
        return self.model.scores(pairing_rows(pairings))[:, self._column]

    def best(self, pairings: Sequence[Pairing]) -> tuple[int, float] | None:
        """Index and probability of the likeliest pairing, when it reaches the threshold."""
        if not pairings:
            return None
        probabilities = self.probabilities(pairings)
        index = int(np.argmax(probabilities))
        return (index, float(probabilities[index])) if probabilities[index] >= self.threshold else None
