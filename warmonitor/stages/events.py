"""Events stage: which words name events, of what type, who did them to whom, and how sure.

Each sentence goes through named steps, so any one can be replaced alone:

1. **trigger** (:func:`candidate`): verbs and event nouns that a dictionary row names;
2. **typing** (a :data:`Typer`, by default :func:`type_by_dictionary`): PLOVER, CAMEO and ACLED
   types from the first row whose particle and object fit, or no event;
3. **roles** (:func:`assign_roles`): actor1 is the subject (the "by" agent of a passive; the subject
   of the governing verb for "managed to break"; the antecedent of "they", "the group"); actor2 the
   object, or the object of "at"/"on"/"against";
4. **ACLED refinement** (:func:`refine_acled`): who acts on whom changes ACLED's category;
5. **status, attribution and toll** (:func:`read_status`, "..., the army said", "killing 12");
6. **confidence** (:func:`confidence`).

Each coded field leaves an :class:`Evidence` with the words and the rule behind it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from warmonitor.classify.labels import ACLED_SUB_TYPES, ALWAYS_KEPT
from warmonitor.dictionaries import Cues, Dictionaries, VerbPattern
from warmonitor.lexicon import MONTHS, NUMBER_WORDS, WEEKDAYS, fold
from warmonitor.model import (
    Actor,
    ActorMention,
    ActorSource,
    Analysis,
    CountrySource,
    Event,
    Evidence,
    Sentence,
    Span,
    Status,
    Verdict,
)
from warmonitor.resources import Resources
from warmonitor.stages.base import ArticleStage

_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_ACTIVE_SUBJECTS = _SUBJECTS - {"nsubjpass"}
_OBJECT_PREPOSITIONS = {"at", "on", "against", "with", "upon", "into", "of", "for"}
MentionIndex = dict[int, list[ActorMention]]  # sentence index → its actor mentions, in order
_NEEDS_AN_ACTOR = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "REQUEST", "ACCUSE",
                   "REJECT", "THREATEN", "SANCTION", "RETREAT", "MOBILIZE"}
_PRONOUNS = {"they", "he", "she", "it", "we", "them", "their", "its"}
_RELATIVE_PRONOUNS = {"which", "who", "that"}
_NUMBER_WORDS = NUMBER_WORDS
# "25 million", "40%", "shot 15 times and killed", "held for 3 days and killed"
_NOT_A_HEADCOUNT = (r"(?!\d|,\d|\s+(?:million|billion|thousand|per\s?cent|%|times|rounds|bullets|shots|hours|days|"
                    r"weeks|months|years|minutes|km|kilometres|kilometers|miles|metres|meters)\b)")
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")" + _NOT_A_HEADCOUNT
_VAGUE = {"dozens", "scores", "hundreds"}  # ACLED's conventions: 12, 20, 100 — but never another sentence's toll
_KILLED_AFTER = re.compile(
    rf"\b(?:killing|killed|kill|leaving|shot\s+dead|shooting\s+dead|gunned\s+down)\s+(?:at\s+least\s+|more\s+than\s+|some\s+|about\s+|nearly\s+)?{_NUMBER}\b"
    r"(?:\s+[\w-]+){0,3}?(?:\s+(?:dead|people|civilians|soldiers|fighters|militants|troops|protesters|"
    r"children|others|members|policemen|officers|residents|villagers))?",
    re.I,
)
_KILLED_BEFORE = re.compile(
    rf"\b(?:at\s+least\s+|more\s+than\s+|some\s+|about\s+|nearly\s+)?{_NUMBER}\s+(?:[\w-]+\s+){{0,3}}?"
    r"(?:were|was|have\s+been|had\s+been|are|been)\s+(?:\w+\s+)?(?:killed|shot\s+dead|dead)\b|"
    rf"\b{_NUMBER}\s+(?:[\w-]+\s+){{0,2}}?(?:died|dead|killed)\b",
    re.I,
)


def _lemma(token: Any) -> str:
    return (token.lemma_ or token.text).lower()


def match_pattern(token: Any, patterns: Sequence[VerbPattern]) -> VerbPattern | None:
    """The first pattern whose particle and object list fit this verb token."""
    complements = _complement_lemmas(token)
    particles = {child.lower_ for child in token.children if child.dep_ in {"prt", "prep", "advmod"}}
    has_object = any(child.dep_ in {"dobj", "obj"} for child in token.children)
    for pattern in patterns:
        if pattern.particle and pattern.particle not in particles:
            continue
        if pattern.objects == {"-"}:
            if has_object:
                continue  # "-": only without a direct object ("police fired on the crowd", not "fired the minister")
        elif pattern.objects and not (pattern.objects & complements):
            continue
        return pattern
    return None


def _is_purpose_clause(token: Any) -> bool:
    """"gathered ... to demand a raise": an infinitive saying what the act was for."""
    return token.dep_ == "advcl" and any(child.dep_ == "aux" and child.lower_ == "to" for child in token.children)


def _complement_lemmas(token: Any) -> set[str]:
    lemmas: set[str] = set()
    if token.dep_ == "acl" and token.tag_ == "VBN":  # "the arrests made by the police": the noun is the object
        lemmas.update({_lemma(token.head), token.head.lower_})
    for child in token.children:
        # a passive's subject is what the verb acts on ("curfew was clamped"); an active one is not
        if child.dep_ in _ACTIVE_SUBJECTS or child.dep_ in {"punct", "aux", "auxpass", "neg", "ccomp", "conj"}:
            continue
        if child.dep_ == "advcl" and not _is_purpose_clause(child):
            continue
        for descendant in child.subtree:
            lemmas.add(_lemma(descendant))
            lemmas.add(descendant.lower_)
    return lemmas


def _is_passive(token: Any) -> bool:
    """A passive verb: with a passive subject or auxiliary, a "by" agent, a past participle modifying
    a noun ("arrests made by police"), or a participle joined to a passive ("was shot and killed")."""
    if any(child.dep_ in {"nsubjpass", "auxpass", "agent"} for child in token.children):
        return True
    if token.tag_ == "VBN" and token.dep_ == "acl":
        return True
    return (token.tag_ == "VBN" and token.dep_ == "conj" and not any(c.dep_ in _SUBJECTS for c in token.children)
            and any(c.dep_ in {"nsubjpass", "auxpass"} for c in token.head.children))


def _subject(token: Any) -> tuple[Any | None, bool]:
    """The token standing as agent of ``token``, and whether the clause is passive."""
    passive = _is_passive(token)
    if passive:
        # "was beaten and then stabbed by the guards": passive verbs joined by "and" share the agent
        shared = [c for c in token.children if c.dep_ == "conj" and c.tag_ == "VBN" and _is_passive(c)]
        for verb in (token, *shared):
            for child in verb.children:
                if child.dep_ == "agent":
                    for grandchild in child.children:
                        if grandchild.dep_ == "pobj":
                            return grandchild, True
        return None, True
    for child in token.children:
        if child.dep_ in {"nsubj", "csubj"}:
            if child.lower_ in _RELATIVE_PRONOUNS and token.dep_ == "relcl":
                return token.head, False  # "the Kalupur police, which arrested 14 youths"
            return child, False
    if token.dep_ == "advcl" and _lemma(token.head) in _TOLL_VERBS:
        # "three people died in police firing": the dying are victims; the shooter sits before.
        before = token.doc[token.i - 1] if token.i > 0 else None
        return (before, False) if before is not None and before.dep_ == "pobj" else (None, False)
    head = token
    # "managed to break", "began to lift", "pushing ... to take": borrow the governing verb's subject;
    # conjoined verbs share the first one's.
    for _ in range(3):
        if head.dep_ in {"xcomp", "conj", "advcl", "acomp"} and head.head.i != head.i:  # "are likely to impose"
            via_complement = head.dep_ == "xcomp"
            head = head.head
            controller = _controller(head) if via_complement else None
            if controller is not None:
                return controller, False
            for child in head.children:
                if child.dep_ in {"nsubj", "csubj"}:
                    return child, False
        elif head.dep_ in {"relcl", "acl"}:
            return head.head, False
        elif head.dep_ in {"pcomp", "pobj"} and head.head.dep_ == "prep" and head.head.head.pos_ in {"VERB", "AUX"}:
            if _toll_verb(head) is not None:
                break  # "four farmers died in the shelling": who died is its victim, not its agent
            preposition = head.head
            head = preposition.head  # "police resorted to firing": the verb the preposition hangs on
            accused = next((c for c in head.children if c.dep_ in {"dobj", "obj"}), None)
            if accused is not None and preposition.lower_ in {"of", "for", "with"}:
                return accused, False  # "accused Boko Haram of attacking": the accused is who attacked
            for child in head.children:
                if child.dep_ in {"nsubj", "csubj"}:
                    return child, False
        else:
            break
    return None, passive


# Verbs whose object, or whose subject once passive, does what the verb's complement says: "stones
# prompted the guards to shoot", "the constables were made to charge the crowd", "ordered troops to retake".
_OBJECT_CONTROL = frozenset({"force", "compel", "oblige", "order", "direct", "instruct", "ask", "tell", "prompt",
                             "provoke", "urge", "authorise", "authorize", "allow", "permit", "lead", "cause"})


def _controller(verb: Any) -> Any | None:
    """Who performs the complement of an object-control verb: its object ("stones prompted the guards
    to shoot"), or its passive subject ("the constables were forced to charge the crowd")."""
    if _lemma(verb) not in _OBJECT_CONTROL:
        return None
    wanted = {"nsubjpass"} if _is_passive(verb) else {"dobj", "obj"}
    return next((child for child in verb.children if child.dep_ in wanted), None)


_TOLL_VERBS = frozenset({"die", "injure", "wound", "kill", "hurt"})
_CAUSE_PREPOSITIONS = frozenset({"in", "during"})


def _toll_verb(token: Any) -> Any | None:
    """The verb of a toll whose cause ``token`` names: "97 died in police firing", "two were hurt
    during the raid"."""
    preposition = token.head
    if token.dep_ != "pobj" or preposition.lower_ not in _CAUSE_PREPOSITIONS or _lemma(preposition.head) not in _TOLL_VERBS:
        return None
    return preposition.head


def _toll_victims(token: Any) -> Any | None:
    """"Four farmers died in the shelling": who the toll verb the event noun hangs on is about."""
    verb = _toll_verb(token)
    return next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None) if verb is not None else None


def _object(token: Any, passive: bool) -> Any | None:
    if passive:
        for child in token.children:
            if child.dep_ == "nsubjpass":
                return child
        if token.dep_ == "conj":  # "the driver was dragged out and beaten": the first verb's subject
            for child in token.head.children:
                if child.dep_ == "nsubjpass":
                    return child
        if token.dep_ == "acl":
            return token.head  # "troops besieged by Islamic State": the troops are the target
    for child in token.children:
        if child.dep_ in {"dobj", "obj", "attr"}:
            return child
    for child in token.children:  # "shot and killed two soldiers": the verbs share the object
        if child.dep_ == "conj" and child.pos_ == "VERB" and not any(c.dep_ in _SUBJECTS for c in child.children):
            shared = next((c for c in child.children if c.dep_ in {"dobj", "obj"}), None)
            if shared is not None:
                return shared
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in _OBJECT_PREPOSITIONS:
            for grandchild in child.children:
                if grandchild.dep_ == "pobj" and not _is_time(grandchild):
                    return grandchild
    for child in token.children:
        if child.dep_ in {"dobj", "obj"} or child.dep_ == "dative":
            return child
    # "fired cruise missiles at positions": the target hangs off the object.
    for child in token.children:
        if child.dep_ == "dobj":
            for grandchild in child.children:
                if grandchild.dep_ == "prep" and grandchild.lower_ in {"at", "on", "against"}:
                    return next((g for g in grandchild.children if g.dep_ == "pobj"), None)
    return None


def _is_time(token: Any) -> bool:
    """A date or time phrase ("on 7 March", "on Tuesday"), never a target."""
    return token.ent_type_ in {"DATE", "TIME"} or token.lower_ in _TIME_WORDS


_TIME_WORDS = {*WEEKDAYS, *MONTHS, "day", "night", "morning", "evening", "afternoon", "weekend"}


def _target(token: Any) -> Any | None:
    """The "at"/"on"/"against" complement of a verb or of its object, if any, not a date's."""
    candidates = [token, *(child for child in token.children if child.dep_ == "dobj")]
    for head in candidates:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in {"at", "on", "against", "upon"}:
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is not None and not _is_time(pobj):
                    return pobj
    return None


_GIVING = {"AID", "CONCEDE"}


def _recipient(token: Any) -> Any | None:
    """The "to" complement of a verb of giving, or of its object or particle."""
    heads = [token, *(child for child in token.children if child.dep_ in {"dobj", "prt"})]
    return next((g for head in heads for child in head.children if child.dep_ in {"prep", "dative"}
                 and child.lower_ == "to" for g in child.children if g.dep_ == "pobj"), None)


def _actor_for(head: Any, mentions: list[ActorMention], doc: Any) -> ActorMention | None:
    """The actor mention that stands for the noun phrase headed by ``head``."""
    if head is None:
        return None
    core = _core_tokens(head)
    best: ActorMention | None = None
    best_distance = 10**6
    for mention in mentions:
        covered = [t for t in core if mention.start <= t.idx < mention.end]
        if not covered:
            continue
        distance = 0 if any(t.i == head.i for t in covered) else min(abs(t.i - head.i) for t in covered)
        if distance < best_distance:
            best, best_distance = mention, distance
    return best


def _covers(mention: ActorMention, head: Any) -> bool:
    """The mention holds the head word itself, not only one of its modifiers."""
    return mention.start <= head.idx < mention.end


def _core_tokens(head: Any) -> list[Any]:
    """The head noun and its modifiers and "of"-complements, not its relative clauses."""
    core = [head]
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            keep = child.dep_ in {"compound", "amod", "nmod", "poss", "det", "nummod", "case", "conj", "cc",
                                  "appos", "npadvmod", "quantmod"}
            keep = keep or (child.dep_ == "prep" and child.lower_ == "of")
            keep = keep or (child.dep_ == "pobj" and token.lower_ == "of")
            if keep:
                core.append(child)
                stack.append(child)
    return core


_GROUP_NOUNS = {"group", "organisation", "organization", "movement", "faction", "insurgency"}


def _is_group_anaphor(token: Any) -> bool:
    return token.lower_ in _GROUP_NOUNS and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)


_PERSONAL_PRONOUNS = {"he", "she"}


def _antecedent(by_sentence: MentionIndex, sentence_index: int, before: int, pronoun: str,
                docs: Sequence[Any] | None = None, excluded: frozenset[str] = frozenset()) -> ActorMention | None:
    """The actor a pronoun or "the group" stands for, in this sentence before it or in the two before.

    The nearest sentence with a fitting actor wins; within it, an actor that was a clause's subject
    beats one that was only an object ("Zelensky met Putin. He warned ..." is Zelensky), then the
    later one. "He" and "she" take a person or a named leader; "it" a singular body, not "the
    militants"; "they" any group. ``excluded`` are the last words of names (:func:`_last_words`) the
    clause already gives another role: in "he warned Putin", "he" is not "Vladimir Putin"."""
    ordered = [(0, [m for m in by_sentence.get(sentence_index, []) if m.start < before])]
    ordered += [(distance, by_sentence.get(sentence_index - distance, [])) for distance in (1, 2)
                if sentence_index - distance >= 0]
    for distance, mentions in ordered:
        doc = docs[sentence_index - distance] if docs is not None else None
        fitting = [m for m in mentions if not (_last_words(m.actor) & excluded) and _fits(m, pronoun, doc)]
        if not fitting:
            continue
        subjects = [m for m in fitting if _is_clause_subject(m, doc)] if doc is not None else []
        return (subjects or fitting)[-1]
    return None


def _last_words(actor: Actor) -> frozenset[str]:
    """The last words of an actor's names: "Raila Odinga" and "Odinga" share "odinga"."""
    return frozenset(name.split()[-1].lower() for name in (actor.canonical or "", actor.name) if name.split())


def _fits(mention: ActorMention, pronoun: str, doc: Any | None) -> bool:
    actor = mention.actor
    if pronoun == "group":  # "the group": a named organisation, not a crowd or a person
        return actor.found_by is ActorSource.NAMED and actor.type in {"rebel", "militia", "party"}
    named_leader = actor.found_by is ActorSource.NAMED and actor.type == "government" \
        and " " in (actor.canonical or "")  # a named leader such as "Bashar al-Assad"
    is_person = actor.type == "person" or named_leader or actor.found_by is ActorSource.PERSON  # "President Ruto"
    if pronoun in _PERSONAL_PRONOUNS:
        return bool(is_person)
    if is_person:
        return False
    if pronoun in {"it", "its"} and doc is not None:
        head = _mention_head(mention, doc)
        return head is None or head.tag_ not in {"NNS", "NNPS"}  # "it" is not "the militants"
    return True


def _mention_head(mention: ActorMention, doc: Any) -> Any | None:
    """The syntactic head of a mention's words in its sentence's parse."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _is_clause_subject(mention: ActorMention, doc: Any) -> bool:
    head = _mention_head(mention, doc)
    if head is None:
        return False
    chain = [head, *(t for t in head.ancestors if t.dep_ in {"compound", "appos", "conj", "poss"})]
    return any(t.dep_ in {"nsubj", "nsubjpass"} or (t.dep_ == "pobj" and t.head.dep_ == "agent") for t in chain)


# --- step 5: status, attribution and toll ---------------------------------------------------------


def read_status(token: Any, sentence: Sentence, cues: Cues) -> tuple[Status, str]:
    """Status and the words that decided it."""
    chain = [token]
    head = token
    while head.dep_ in {"xcomp", "conj", "ccomp", "advcl", "acl", "relcl", "acomp"} and head.head.i != head.i:
        if head.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _FACTUAL_MARKS for c in head.children):
            break  # "salaries would be paid after police broke up the protest": the breaking-up happened
        head = head.head
        chain.append(head)
        if len(chain) > 4:
            break
    allegation = _allegation(token)
    for ancestor in _governors(token):
        if _lemma(ancestor) in cues.foiled:
            return Status.NEGATED, ancestor.text  # "foiled a plot to bomb", "thwarted an attempt to attack"
    for verb in chain:
        for child in verb.children:
            if child.dep_ in {"advmod", "amod"} and child.lower_ in cues.alleged:
                return Status.HYPOTHETICAL, child.text  # "allegedly tortured"
    for verb in chain:
        for child in verb.children:
            if child.dep_ == "neg" or (child.dep_ in {"advmod", "det"} and child.lower_ in cues.negation):
                return Status.NEGATED, child.text
            if verb.i == token.i and child.dep_ in {"nsubj", "nsubjpass"} and _says_none(child):
                return Status.NEGATED, child.text  # "no arrest was made", "nobody was arrested"
        if verb.i != token.i and _lemma(verb) in cues.negation:
            return Status.NEGATED, verb.text  # "denied attacking"
    if allegation is not None:
        return Status.HYPOTHETICAL, allegation
    text = sentence.text.lower()
    for verb in chain:
        for child in verb.children:
            if child.dep_ in {"aux", "mark", "advmod"} and child.lower_ in cues.hypothetical:
                return Status.HYPOTHETICAL, child.text  # "could attack", "if they attack", "possibly raped"
            if child.dep_ == "aux" and child.lower_ in {"will", "shall", "'ll", "wo"}:
                return Status.PLANNED, child.text
        # "vowed to retake" is planned even in the past; "went to", "set to", "sought to" only in the present.
        planning = _lemma(verb) in cues.planned or _lemma(verb) in cues.requests
        if verb.i != token.i and (token.dep_ == "xcomp" or _is_purpose_clause(token)) and planning and (
                _lemma(verb) not in {"go", "set", "seek"} or verb.tag_ != "VBD"):
            return Status.PLANNED, verb.text
        if verb.i != token.i and token.dep_ == "ccomp" and _lemma(verb) in cues.requests:
            return Status.PLANNED, verb.text  # "demanded that the group be banned": asked for, not done
        if verb.i != token.i and _lemma(verb) in cues.hypothetical and token.dep_ in {"xcomp", "ccomp"}:
            return Status.HYPOTHETICAL, verb.text
    for phrase in cues.future_time:
        if phrase in text and token.tag_ in {"VB", "VBP", "VBZ", "VBG"}:
            return Status.PLANNED, phrase
    for child in token.children:
        if child.lower_ in cues.ongoing:
            return Status.ONGOING, child.text
    if token.tag_ == "VBG" and any(c.dep_ == "aux" and _lemma(c) == "be" for c in token.children):
        return Status.ONGOING, token.text
    if any(c.dep_ == "auxpass" and c.lower_ == "being" for c in token.children):
        return Status.ONGOING, "being"  # "the group is being fought"
    if token.head.i != token.i and _lemma(token.head) in {"continue", "keep"}:
        return Status.ONGOING, token.head.text
    return Status.OCCURRED, token.text


_FACTUAL_MARKS = frozenset({"after", "since", "because", "as", "when", "while"})


def _governors(token: Any, limit: int = 5) -> list[Any]:
    """The words above ``token`` whose meaning reaches it, up to the first "and": in "stopped a bus
    and abducted 18 passengers" the stopping does not stop the abduction."""
    found: list[Any] = []
    while token.head.i != token.i and len(found) < limit and token.dep_ != "conj":
        token = token.head
        found.append(token)
    return found


_NONE_WORDS = frozenset({"nobody", "none", "noone"})


def _says_none(subject: Any) -> bool:
    """"nobody", "none of them", "no one", "no arrest": a subject that denies its clause."""
    if subject.lower_ in _NONE_WORDS:
        return True
    return any(child.dep_ == "det" and child.lower_ == "no" for child in subject.children) or (
        subject.lower_ == "one" and subject.i > 0 and subject.doc[subject.i - 1].lower_ == "no")


def _allegation(token: Any) -> str | None:
    """"accused Khartoum of bombing civilians": what one side alleges is not a fact. Not what
    describes the accused ("charged 19 people arrested in a raid"): the arrest is no allegation."""
    if token.dep_ in {"acl", "relcl"}:
        return None
    node = token
    for _ in range(4):
        if node.head.i == node.i:
            return None
        node = node.head
        if _lemma(node) in {"accuse", "blame", "allege", "claim", "suspect", "charge"} and node.i != token.i:
            return node.text
        if node.dep_ not in {"pcomp", "prep", "pobj", "xcomp", "ccomp"} and node.pos_ == "VERB":
            return None
    return None


def _attribution(token: Any, sentence: Sentence, cues: Cues, doc: Any) -> tuple[str, Span] | None:
    """Who says so: the subject of a reporting verb above the event, or "according to X"."""
    reporting = cues.reporting_verbs
    head = token
    for _ in range(6):
        if head.head.i == head.i:
            break
        parent = head.head
        if _lemma(parent) in reporting and head.dep_ in {"ccomp", "parataxis", "xcomp", "advcl", "conj"}:
            source = next((c for c in parent.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if source is not None:
                return _phrase(source, sentence)
        head = parent
    # "X did Y, the army said": spaCy sometimes hangs the reporting verb under the event verb.
    for child in token.children:
        if child.dep_ in {"parataxis", "ccomp", "conj"} and _lemma(child) in reporting:
            source = next((c for c in child.children if c.dep_ == "nsubj"), None)
            if source is not None:
                return _phrase(source, sentence)
    for candidate in doc:
        if candidate.lower_ == "according" and candidate.i + 1 < len(doc) and doc[candidate.i + 1].lower_ == "to":
            pobj = next((c for c in doc[candidate.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _phrase(pobj, sentence)
    return None


def _phrase(head: Any, sentence: Sentence) -> tuple[str, Span]:
    tokens = [t for t in head.subtree if t.dep_ not in {"relcl", "punct"}]
    tokens = [t for t in tokens if not any(a.dep_ == "relcl" for a in t.ancestors if a.i in {x.i for x in tokens})]
    start, end = min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)
    return sentence.text[start:end], sentence.original_span(start, end)


_DEATHS = re.compile(rf"\b{_NUMBER}\s+(?:of\s+(?:the|these|those)\s+)?(?:fatalities|deaths|people\s+dead|dead)\b", re.I)
_ONE_KILLED = re.compile(
    r"\b(?:a|an|one|the)\s+(?:[\w-]+\s+){0,3}?(?:was|has\s+been|had\s+been)\s+(?:\w+\s+(?:and\s+)?)?"
    r"(?:killed|shot\s+dead)\b", re.I)


def fatalities(text: str, cumulative: frozenset[str] = frozenset()) -> tuple[int, str] | None:
    """A death toll written in the sentence, with the words that gave it. Years ("On 9 May
    2021, four herders were killed") are never tolls, nor cumulative ones ("more than 40,000
    have been killed since 2009": ``cumulative`` holds the words that make a toll so)."""
    lowered = f" {text.lower()} "
    if any(f" {words} " in lowered or f" {words}," in lowered for words in cumulative):
        return None
    for pattern in (_KILLED_AFTER, _KILLED_BEFORE, _DEATHS):
        for match in pattern.finditer(text):
            number = next(g for g in match.groups() if g)
            value = int(number.replace(",", "")) if number[0].isdigit() else _NUMBER_WORDS[number.lower()]
            if number[0].isdigit() and 1900 <= value <= 2100 and "," not in number:
                continue
            return value, match.group()
    single = _ONE_KILLED.search(text)
    return (1, single.group()) if single else None


# --- step 1: triggers ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """A word that may name an event, the verb that carries its clause, and its dictionary rows."""

    token: Any
    anchor: Any
    patterns: Sequence[VerbPattern]  # the dictionary's own rows, not copied
    nominal: bool  # an event noun ("clashes broke out"), not a verb


def candidate(token: Any, dictionaries: Dictionaries) -> Candidate | None:
    """The candidate this token starts, or None.

    Verbs match on their lemma (or, when the lemmatizer misses a rare past form, their spelling);
    event nouns count only as subject or object of a light verb ("clashes broke out")."""
    cues = dictionaries.cues
    if token.pos_ in {"VERB", "AUX"} or (token.dep_ == "ROOT" and token.pos_ == "NOUN"):
        if token.dep_ in {"amod", "compound"}:
            return None  # "advancing forces", "besieged troops": a description, not an event
        lemma = _lemma(token)
        if lemma in cues.reporting_verbs:
            return None
        patterns = dictionaries.verbs.get(lemma) or dictionaries.verbs.get(token.lower_)
        return Candidate(token, token, patterns, nominal=False) if patterns else None
    if token.pos_ == "NOUN" and token.head.i != token.i:
        hyphenated = f"{token.nbor(-2).lower_}-{token.lower_}" if token.i >= 2 and token.nbor(-1).text == "-" else ""
        compound = next((f"{c.lower_} {_lemma(token)}" for c in token.children if c.dep_ in {"compound", "amod"}), "")
        pattern = (dictionaries.nouns.get(hyphenated) or dictionaries.nouns.get(compound)  # "flag march"
                   or dictionaries.nouns.get(_lemma(token)) or dictionaries.nouns.get(token.lower_))  # "sit-in" is three tokens
        if pattern is None:
            return None
        verb = token.head
        if token.dep_ in {"nsubj", "nsubjpass"} and _lemma(verb) in cues.nominal_subject_verbs:
            return Candidate(token, verb, (pattern,), nominal=True)
        if token.dep_ == "dobj" and _lemma(verb) in cues.nominal_object_verbs:
            return Candidate(token, verb, (pattern,), nominal=True)
        if token.dep_ == "nsubjpass" and _lemma(verb) in cues.nominal_object_verbs:
            return Candidate(token, verb, (pattern,), nominal=True)  # "a sit-in was staged by students"
        if token.dep_ == "attr" and _lemma(verb) == "be" and any(c.dep_ == "expl" for c in verb.children):
            return Candidate(token, verb, (pattern,), nominal=True)  # "there were clashes in Kano"
        if _toll_verb(token) is not None:
            return Candidate(token, token, (pattern,), nominal=True)  # "97 died in police firing": the noun is the event
    return None


# --- step 2: typing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventTyping:
    """What kind of event a candidate names, and where that coding came from."""

    plover_type: str
    cameo_root: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    source: str  # a dictionary row ("data/verbs.csv:44") or a model's name
    matched: str  # what matched, in words ("strike + object positions")
    constrained: bool  # the row asked for a particular object: a more specific match
    classified: bool = False  # the classifier chose the type (with the rule's trigger, or alone)

    @property
    def rule(self) -> str:
        return f"{self.source}: {self.matched} → {self.plover_type}/CAMEO {self.cameo_root}"


# A typer decides whether a candidate is an event and of which type. The dictionary typer below is
# the default; a learned classifier replaces it by passing another function to ``run``.
Typer = Callable[[Candidate], EventTyping | None]


def type_by_dictionary(found: Candidate) -> EventTyping | None:
    """The first dictionary row whose particle and object fit (an event noun has one row)."""
    pattern = found.patterns[0] if found.nominal else match_pattern(found.token, found.patterns)
    if pattern is None:
        return None
    return EventTyping(pattern.plover_type, pattern.cameo_root, pattern.acled_event_type, pattern.acled_sub_event_type,
                       source=pattern.row, matched=_describe(pattern), constrained=bool(pattern.objects))


# --- step 2b: the learned classifier beside the rules ----------------------------------------------

# The classifier's verdict is about the sentence; a trigger's rule says which word and which kind of
# act. A rule's type and the classifier's ACLED sub-type must agree on the kind of act to combine.
_COMPATIBLE_EVENT_TYPES: dict[str, frozenset[str]] = {
    "ASSAULT": frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots",
                          "Protests", "Strategic developments"}),
    "PROTEST": frozenset({"Protests", "Riots"}),
    "COERCE": frozenset({"Strategic developments", "Violence against civilians", "Protests"}),
    "AGREE": frozenset({"Strategic developments"}),
    "MOBILIZE": frozenset({"Strategic developments"}),
    "RETREAT": frozenset({"Strategic developments"}),
}
_PLOVER_CAMEO: dict[str, str] = {
    "AGREE": "05", "CONSULT": "04", "SUPPORT": "05", "CONCEDE": "08", "COOPERATE": "06", "AID": "07",
    "RETREAT": "08", "REQUEST": "02", "ACCUSE": "11", "REJECT": "12", "THREATEN": "13", "PROTEST": "14",
    "SANCTION": "16", "MOBILIZE": "15", "COERCE": "17", "ASSAULT": "18",
}
# A rule's material event (violence, coercion) by or on no political actor, in a sentence the
# classifier gives less chance than DROP_BELOW, is dropped; a verbal one, or one between political
# actors, below DROP_VERBAL_BELOW. Chosen on the ACLED train split and the development halves of the
# false-event sets (0.5 and 0.2 before the detector learnt events by groups no dictionary knows).
DROP_BELOW = 0.55
DROP_VERBAL_BELOW = 0.05
DROP_VIOLENCE_BELOW = 0.35  # ... and a violent one by or on no political actor when violence is this unlikely
DROP_UNKNOWN_ACTOR_BELOW = 0.3  # ... and one by a proper name no dictionary knows ("CODECO killed three civilians")
DROP_PROTEST_BELOW = 0.2  # a protest word rarely has another sense ("shopkeepers protested over taxes")
_MATERIAL = frozenset({"ASSAULT", "COERCE", "PROTEST"})  # where sports, weather and metaphors mislead rules
TYPE_FROM = 0.3  # the classifier's sub-type replaces the rule's when it is at least this likely
FAMILY_FROM = 0.4  # ... or its ACLED event type (all sub-types together) at least this likely
OVERRULE_FROM = 0.5  # ... even when the rule's word names another kind of act
ADD_FROM = 0.75  # a sentence with no rule event gets the classifier's event from this likelihood
SURE_FROM = 0.9  # ... and needs no words of its sub-type from this one ("held a press conference with banners")


def acled_types(label: str) -> tuple[str | None, str | None]:
    """ACLED event type and sub-type of a classifier class ("PLOVER:…" classes have none)."""
    if label in ACLED_SUB_TYPES:
        return ACLED_SUB_TYPES[label][0], label
    return None, None


def plover_of(label: str) -> str:
    """The PLOVER type of a classifier class: its own, or the sub-type's default (labels.py)."""
    if label.startswith("PLOVER:"):
        return label.split(":", 1)[1]
    return ACLED_SUB_TYPES[label][1]


def cameo_of(plover_type: str, acled_event_type: str | None, acled_sub_event_type: str | None) -> str:
    if acled_sub_event_type == "Chemical weapon":
        return "20"
    if acled_event_type == "Battles":
        return "19"
    return _PLOVER_CAMEO.get(plover_type, "01")


# A classifier sub-type that names a weapon or a crowd needs those words in the sentence: without
# them the rule's own reading stands ("police arrested activists" is no protest).
_NEEDS_WORDS: dict[str, frozenset[str]] = {
    "Peaceful protest": frozenset({"protest", "riot"}),
    "Protest with intervention": frozenset({"protest", "riot", "crowd_control"}),
    "Excessive force against protesters": frozenset({"protest", "riot", "crowd_control"}),
    "Violent demonstration": frozenset({"protest", "riot"}),
    "Suicide bomb": frozenset({"suicide"}),
    "Grenade": frozenset({"grenade"}),
    "Chemical weapon": frozenset({"chemical"}),
    "Air/drone strike": frozenset({"aerial"}),
    "Shelling/artillery/missile attack": frozenset({"artillery"}),
    "Remote explosive/landmine/IED": frozenset({"explosive"}),
    "Sexual violence": frozenset({"sexual"}),
    "Arrests": frozenset({"arrest"}),
    "Abduction/forced disappearance": frozenset({"abduction"}),
}


def has_its_words(sub_type: str, groups: frozenset[str]) -> bool:
    """Whether a sentence has the words a classifier sub-type needs (:data:`_NEEDS_WORDS`)."""
    return sub_type not in _NEEDS_WORDS or bool(_NEEDS_WORDS[sub_type] & groups)


def judged_event_free(typing: EventTyping, verdict: Verdict | None, status: Status, roles: Roles) -> bool:
    """Whether the classifier's verdict removes a rule's event: a sentence it judges event-free
    (a basketball "hit", a hurricane "striking", a quarrel's stabbing), reported as fact. How sure
    it must be depends on the kind of act and on who acts: a material act (violence, coercion,
    protest) by or on no political actor goes below even odds; one between actors the dictionaries
    know (the Taliban, troops, police, the police an arrest implies) only when the classifier is
    nearly sure; a verbal act too.
    "The army did not attack" is kept, as a negated event."""
    if verdict is None or not status.is_fact or typing.acled_sub_event_type in ALWAYS_KEPT:
        return False  # an arrest is an explicit act of the state, in any story ("has been arrested for the murder")
    political = any(actor is not None and actor.found_by in {ActorSource.NAMED, ActorSource.AGENT, ActorSource.IMPLIED}
                    and actor.type not in {"civilians", "person"} for actor in (roles.actor1, roles.actor2))
    if typing.plover_type not in _MATERIAL or political:
        return verdict.event_probability < DROP_VERBAL_BELOW
    if roles.actor1 is not None and roles.actor1.type == "organisation":
        return verdict.event_probability < DROP_UNKNOWN_ACTOR_BELOW  # a name, but no dictionary vouches for it
    if typing.plover_type == "PROTEST":
        return verdict.event_probability < DROP_PROTEST_BELOW
    if typing.plover_type == "ASSAULT" and verdict.violence_probability < DROP_VIOLENCE_BELOW:
        return True  # an event, but of another kind: "tariffs that targeted China", "methane burned at drilling sites"
    return verdict.event_probability < DROP_BELOW


def with_verdict(typing: EventTyping, verdict: Verdict | None, groups: frozenset[str] | None = None) -> EventTyping:
    """The rule's typing refined by the sentence's verdict: the classifier's ACLED sub-type replaces
    the rule's when the two agree on the kind of act and the sentence has the sub-type's words
    (``groups``). Sub-types the words decide (a suicide bomber, a grenade, a recapture) are
    :func:`refine_acled`'s last word; whether the event stands at all is :func:`judged_event_free`'s."""
    if verdict is None:
        return typing
    event_type, sub_type = acled_types(verdict.label)
    if sub_type is None or (verdict.label_probability < TYPE_FROM and verdict.family_probability < FAMILY_FROM):
        return typing
    if groups is not None and verdict.label_probability < SURE_FROM and not has_its_words(sub_type, groups):
        return typing
    if typing.plover_type == "ASSAULT" and plover_of(sub_type) == "COERCE" and typing.acled_event_type:
        return typing  # "beat and arrested": the beating is no arrest
    if typing.constrained and typing.plover_type == "COERCE" and plover_of(sub_type) == "ASSAULT":
        return typing  # "captured four men": the verb's object said what the act is, a seizure of people
    if typing.plover_type == "PROTEST" and sub_type == "Violent demonstration" and groups is not None \
            and "riot" not in groups:
        return typing  # "the protesters held signs": a demonstration turns violent by its acts, not by its mood
    plover_type = typing.plover_type
    if event_type not in _COMPATIBLE_EVENT_TYPES.get(plover_type, frozenset()):
        if verdict.family_probability < OVERRULE_FROM or not typing.acled_event_type:
            return typing
        plover_type = plover_of(sub_type)  # "a protest ... the mob lynched": the sentence is about the lynching
    if sub_type == typing.acled_sub_event_type:
        return typing
    return EventTyping(plover_type, cameo_of(plover_type, event_type, sub_type), event_type, sub_type,
                       source=verdict.model,
                       matched=f"{typing.matched}; sentence classified {sub_type} ({verdict.label_probability:.2f})",
                       constrained=typing.constrained, classified=True)


def _anchor_verb(doc: Any, cues: Cues) -> Any | None:
    """The verb that carries a sentence's main clause, past a reporting verb ("X happened, police said")."""
    root = next((token for token in doc if token.dep_ == "ROOT"), None)
    if root is None:
        return None
    if _lemma(root) in cues.reporting_verbs:
        # "X happened, police said"; a bare "He said according to the docket ..." reports no act
        return next((c for c in root.children if c.dep_ in {"ccomp", "parataxis"} and c.pos_ in {"VERB", "AUX"}), None)
    if root.pos_ in {"VERB", "AUX"}:
        return root
    # "Defusal: On 22 April, forces found a mine and defused it": a heading before the clause
    return next((c for c in root.children if c.dep_ in {"appos", "parataxis", "acl", "dep", "ccomp"} and c.pos_ == "VERB"), None)


def classified_event(context: _Context) -> Candidate | None:
    """A candidate for a sentence whose event the dictionaries missed but the classifier is sure of
    ("staged a dharna", "made the arrest", "curfew was clamped"): its main verb."""
    verdict = context.sentence.verdict
    if verdict is None or verdict.event_probability < ADD_FROM or verdict.family_probability < FAMILY_FROM:
        return None
    if context.already_coded and verdict.acled_sub_event_type is None:
        return None  # the rules found the sentence's verbal events; the classifier adds only ACLED ones
    sub_type = verdict.acled_sub_event_type
    if sub_type is not None and verdict.label_probability < SURE_FROM and not has_its_words(sub_type, context.groups):
        return None  # a sexual assault with no such word, an air strike with no aircraft: the classifier guessed
    anchor = _anchor_verb(context.doc, context.resources.dictionaries.cues)
    if anchor is None or anchor.i in context.coded_tokens:
        return None  # "Damascus condemned the air strikes": the verb is the rules' accusation; the strikes are only named
    if any(child.i in context.coded_tokens for child in anchor.children if child.dep_ in {"dobj", "nsubj", "nsubjpass"}):
        return None  # "the army conducted a flag march": the rules coded the verb's event noun
    return Candidate(anchor, anchor, (), nominal=False)


def type_by_verdict(verdict: Verdict) -> EventTyping:
    event_type, sub_type = acled_types(verdict.label)
    plover_type = plover_of(verdict.label)
    return EventTyping(plover_type, cameo_of(plover_type, event_type, sub_type), event_type, sub_type,
                       source=verdict.model,
                       matched=f"sentence classified {verdict.label} ({verdict.label_probability:.2f}), "
                               f"event {verdict.event_probability:.2f}",
                       constrained=False, classified=True)


def _is_consequence(token: Any, typing: EventTyping, dictionaries: Dictionaries, typer: Typer) -> bool:
    """"struck positions, killing 9 fighters": the killing is the strike's toll, not a second event."""
    if typing.plover_type != "ASSAULT" or token.dep_ not in {"advcl", "xcomp", "conj"} or token.tag_ != "VBG":
        return False
    head = candidate(token.head, dictionaries)
    head_typing = typer(head) if head is not None else None
    return head_typing is not None and head_typing.plover_type == "ASSAULT"


# --- step 3: roles ---------------------------------------------------------------------------------


@dataclass
class _Context:
    """One sentence being coded, with what the earlier stages found in its article."""

    analysis: Analysis
    sentence: Sentence
    doc: Any
    resources: Resources
    by_sentence: MentionIndex
    typer: Typer
    already_coded: bool = False
    coded_tokens: frozenset[int] = frozenset()

    @cached_property
    def groups(self) -> frozenset[str]:
        """The classifier's word groups present in the sentence ("suicide", "grenade", ...)."""
        return self.resources.classifier.lexicon.groups_in(self.sentence.text)

    @property
    def mentions(self) -> list[ActorMention]:
        return self.by_sentence.get(self.sentence.index, [])

    def span_of(self, token: Any) -> Span:
        return self.sentence.original_span(token.idx, token.idx + len(token))


@dataclass(slots=True)
class Roles:
    actor1: Actor | None
    actor2: Actor | None
    evidence: list[Evidence]


def assign_roles(found: Candidate, typing: EventTyping, context: _Context) -> Roles | None:
    """Who acted (actor1) and on whom (actor2); None when the event type needs an actor and none is named."""
    token, anchor, doc, mentions = found.token, found.anchor, context.doc, context.mentions
    sentence, by_sentence = context.sentence, context.by_sentence
    evidence: list[Evidence] = []
    subject, passive = _subject(anchor)
    noun = anchor if anchor.pos_ == "NOUN" else token
    # the parser hangs "by the army" on the noun or on its light verb
    heads = (noun, anchor) if found.nominal else ()
    by_phrase = next((g for head in heads for c in head.children if c.dep_ in {"prep", "agent"} and c.lower_ == "by"
                      for g in c.children if g.dep_ == "pobj"), None)
    if by_phrase is not None and _actor_for(by_phrase, mentions, doc) is not None:
        subject = by_phrase  # "ordered a patrol by paramilitary troops": the patrol is the troops'
    elif subject is None and (anchor.pos_ == "NOUN" or found.nominal):
        # "police firing", "army shelling", "there is heavy police bandobast": the modifier is who acted.
        subject = next((c for c in noun.children if c.dep_ in {"compound", "poss", "amod"}), None)
    actor1_mention = _actor_for(subject, mentions, doc)
    if actor1_mention is None and subject is not None and _is_group_anaphor(subject):
        # "the group", "the militants": the last armed group or government named before.
        actor1_mention = _antecedent(by_sentence, sentence.index, subject.idx, "group", context.analysis.docs)
        if actor1_mention is not None:
            evidence.append(Evidence("actor1", subject.text, context.span_of(subject),
                                     f"'the {subject.text}' → earlier '{actor1_mention.actor.name}'"))
    object_head = _object(token, passive) if anchor.i == token.i else None
    object_mention = _actor_for(object_head, mentions, doc)
    if actor1_mention is None and subject is not None and subject.lower_ in _PRONOUNS:
        # the clause's own object is not the pronoun's antecedent: "he warned Putin" is not Putin
        excluded = _last_words(object_mention.actor) if object_mention else frozenset()
        actor1_mention = _antecedent(by_sentence, sentence.index, subject.idx, subject.lower_,
                                     context.analysis.docs, excluded)
        if actor1_mention is not None:
            evidence.append(Evidence("actor1", subject.text, context.span_of(subject),
                                     f"pronoun '{subject.text}' → earlier '{actor1_mention.actor.name}'"))
    if actor1_mention is None and typing.plover_type == "ASSAULT":
        actor1_mention = _actor_of_cause(token, context)
    if actor1_mention is None and typing.plover_type in _MATERIAL:
        actor1_mention = _unknown_organisation(subject, context)
    actor2_mention = object_mention
    if actor2_mention is None and object_head is not None and _is_group_anaphor(object_head):
        actor2_mention = _antecedent(by_sentence, sentence.index, object_head.idx, "group", context.analysis.docs)
    if actor2_mention is None or (actor1_mention and actor2_mention.actor.canonical == actor1_mention.actor.canonical):
        target = _target(token)
        found_target = _actor_for(target, mentions, doc) if target is not None else None
        if found_target is not None:
            actor2_mention = found_target
    if actor2_mention is None and found.nominal and typing.plover_type == "ASSAULT":
        actor2_mention = _actor_for(_toll_victims(token), mentions, doc)
    if actor2_mention is None and typing.plover_type in _GIVING:
        # "provided aid to refugees", "handed the town over to the army": the recipient
        actor2_mention = _actor_for(_recipient(token), mentions, doc)
    if (actor2_mention is None or actor2_mention is actor1_mention or (actor1_mention and
            actor2_mention.actor.canonical == actor1_mention.actor.canonical)) and object_head is not None:
        # "reached troops besieged by Islamic State": the besieger is the adversary.
        for descendant in object_head.subtree:
            if descendant.dep_ == "agent":
                pobj = next((c for c in descendant.children if c.dep_ == "pobj"), None)
                actor2_mention = _actor_for(pobj, mentions, doc) or actor2_mention
    if actor2_mention is None and typing.plover_type == "ASSAULT":
        # "shelled a camp, killing 12 civilians": the victims of the toll are the target.
        for child in token.children:
            if child.tag_ == "VBG" and _is_consequence(child, typing, context.resources.dictionaries, context.typer):
                actor2_mention = _actor_for(_object(child, False), mentions, doc)
                break
    if actor2_mention is None and subject is not None and _lemma(anchor) in _TWO_SIDED:
        # "VHP activists and the police clashed": the second of the sides is the other party
        other_side = next((c for c in subject.children if c.dep_ == "conj"), None)
        actor2_mention = _actor_for(other_side, mentions, doc) if other_side is not None else None
    # "two men have been arrested", "curfew was imposed", "security was tightened", "the cases are being
    # investigated": policing with no agent named is the state's police. Not when only the classifier
    # saw an act, on whatever verb carries the sentence ("changes were made to the jail's wards"): no
    # policing word is there to imply the police.
    implied_policing = passive and subject is None and _is_policing(typing, context.groups) and (
        not typing.classified or has_its_words("Arrests", context.groups))
    if actor1_mention is None and actor2_mention is None and typing.plover_type in _NEEDS_AN_ACTOR \
            and not implied_policing:
        return None
    if actor1_mention is not None and actor2_mention is not None and actor1_mention is actor2_mention:
        actor2_mention = None
    actor1 = actor1_mention.actor if actor1_mention else None
    if actor1 is None and typing.plover_type == "MOBILIZE" and actor2_mention is not None \
            and actor2_mention.actor.type in _INTERVENING:
        # "150 armed policemen were deployed": the forces deployed are the state acting
        actor1, actor2_mention = actor2_mention.actor, None
    if actor1 is None and typing.plover_type == "AID" and actor2_mention is not None and object_head is not None \
            and actor2_mention.actor.type in _INTERVENING and not _covers(actor2_mention, object_head):
        # "police protection was provided", "gave them an army escort": the modifier of what was given
        # is who gave it, not who received it
        actor1, actor2_mention = actor2_mention.actor, None
    if actor1 is None and implied_policing:
        actor1 = _implied_authority(token, typing, context)
        evidence.append(Evidence("actor1", token.text, actor1.span, actor1.rule))
    if actor1 is not None and typing.plover_type == "PROTEST" and actor1.type == "civilians":
        # People who demonstrate are protesters: ACLED's "Protesters (Country)".
        actor1 = replace(actor1, type="protesters",
                         canonical=(actor1.canonical or "").replace("Civilians", "Protesters"))
    actor2 = actor2_mention.actor if actor2_mention else None
    for field, actor in (("actor1", actor1), ("actor2", actor2)):
        if actor is not None and not any(e.field == field for e in evidence):
            evidence.append(Evidence(field, actor.name, actor.span, actor.rule))
    return Roles(actor1, actor2, evidence)


_NOT_ORGANISATIONS = {"PERSON", "GPE", "LOC", "FAC", "DATE", "TIME", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW",
                      "LANGUAGE", "MONEY", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT"}


def _unknown_organisation(subject: Any, context: _Context) -> ActorMention | None:
    """"CODECO killed three civilians", "Mai-Mai Kidjangala attacked the village": a proper name
    standing as the subject of a violent, coercive or protest act, which no dictionary knows and the
    NER calls no person or place, is an organisation of unknown kind. Its country is not guessed."""
    if subject is None or subject.pos_ != "PROPN" or subject.ent_type_ in _NOT_ORGANISATIONS:
        return None
    doc = subject.doc
    start = subject.i
    while start > 0 and (doc[start - 1].pos_ == "PROPN" or doc[start - 1].text == "-") \
            and doc[start - 1].ent_type_ not in _NOT_ORGANISATIONS and doc[start - 1].head.i in {subject.i, start}:
        start -= 1
    name = doc[start : subject.i + 1].text
    if doc[start].text == "-" or context.resources.gazetteer.lookup(fold(name)):
        return None  # a place standing as the subject ("Gaza fired rockets") is left to the places stage
    begin, end = doc[start].idx, subject.idx + len(subject)
    actor = Actor(name, name, None, "organisation", context.sentence.original_span(begin, end),
                  found_by=ActorSource.ORGANISATION, entry="a proper name acting, known to no dictionary")
    return ActorMention(actor, context.sentence.index, begin, end)


_CAUSE_NOUNS = {"action", "encounter", "custody"}  # "killed in a police encounter", "beaten in army custody"


def _actor_of_cause(token: Any, context: _Context) -> ActorMention | None:
    """"Two men were killed in police firing", "injured during an army raid": who did the act the toll
    came from (the act's modifier, or its "by" agent) did the killing."""
    nouns = context.resources.dictionaries.nouns
    for prep in token.children:
        if prep.dep_ != "prep" or prep.lower_ not in _CAUSE_PREPOSITIONS:
            continue
        for cause in prep.children:
            forms = {cause.lower_, cause.lemma_.lower()}  # "firing" is parsed as a verb now and then
            patterns = [nouns[form] for form in forms if form in nouns]
            if cause.dep_ != "pobj" or not (forms & _CAUSE_NOUNS or any(p.plover_type == "ASSAULT" for p in patterns)):
                continue
            for child in cause.children:
                if child.dep_ in {"compound", "poss", "amod", "nmod"}:
                    found = _actor_for(child, context.mentions, context.doc)
                elif child.dep_ in {"prep", "agent"} and child.lower_ == "by":
                    found = _actor_for(next((c for c in child.children if c.dep_ == "pobj"), None),
                                       context.mentions, context.doc)
                else:
                    continue
                if found is not None:
                    return found
    return None


_HELPED_BY = {"backed", "supported", "aided", "assisted", "helped", "reinforced", "accompanied"}


def associates(anchor: Any, actor1: Actor | None, context: _Context) -> tuple[list[Actor], list[Evidence]]:
    """Actors acting with actor1: "with the help of Russian jets and allied militias",
    "backed by Turkish drones", "alongside allied militias". A nationality on a weapon or unit
    ("Russian air strikes") stands for that state's forces."""
    heads: list[Any] = []
    for token in anchor.subtree:
        if token.lower_ in {"help", "support", "backing", "assistance", "cover"} and token.head.lower_ in {"with", "under"}:
            heads.extend(g for c in token.children if c.dep_ == "prep" and c.lower_ in {"of", "from"}
                         for g in c.children if g.dep_ == "pobj")
        elif token.lower_ in _HELPED_BY and token.tag_ == "VBN":
            heads.extend(g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj")
        elif token.lower_ == "alongside" and token.dep_ == "prep":
            heads.extend(c for c in token.children if c.dep_ == "pobj")
    found: list[Actor] = []
    evidence: list[Evidence] = []
    names = context.resources.country_names
    for head in heads:
        tokens = [t for t in head.subtree]
        for mention in context.mentions:
            if any(mention.start <= t.idx < mention.end for t in tokens) and mention.actor is not actor1:
                found.append(mention.actor)
        for token in tokens:
            country = context.resources.dictionaries.nationalities.get(fold(token.text))
            if country and token.dep_ in {"amod", "compound"} and not any(a.country == country for a in found):
                span = context.span_of(token)
                found.append(Actor(token.text, f"Military Forces of {names.get(country, country)}", country, "military",
                                   span, found_by=ActorSource.COUNTRY, entry=token.text,
                                   country_from=CountrySource.WRITTEN, country_words=token.text))
    kept: list[Actor] = []
    seen = {actor1.canonical} if actor1 is not None else set()  # actor1's own artillery is not an ally
    for actor in found:
        if actor.canonical not in seen:
            seen.add(actor.canonical)
            kept.append(actor)
            evidence.append(Evidence("actor1_associates", actor.name, actor.span, actor.rule))
    return kept, evidence


# --- step 4: ACLED refinement -----------------------------------------------------------------------


_STATE = {"military", "government", "police", "state"}
_VOICED = {"REQUEST", "ACCUSE", "REJECT"}  # demands and denunciations, which demonstrators make by protesting
_ARMED = {"military", "rebel", "militia", "police"}
_NON_STATE_ARMED = frozenset(_ARMED - _STATE)  # rebels, militias


def refine_acled(typing: EventTyping, actor1: Actor | None, actor2: Actor | None, token: Any,
                 groups: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    """ACLED's category where the words or the actors decide it, whatever the dictionary row or the
    classifier said: the weapon (a suicide bomber, a grenade, a chemical agent, aircraft), who took
    a place (state forces regain, others overtake), force against protesters, and who riots.
    ``groups`` are the classifier word groups the sentence contains (``suicide``, ``grenade``, …)."""
    event_type, sub_type = typing.acled_event_type, typing.acled_sub_event_type
    violent = typing.plover_type == "ASSAULT" or event_type in {"Battles", "Explosions/Remote violence"}
    if violent and event_type in {"Explosions/Remote violence", "Violence against civilians", "Battles", None}:
        if "suicide" in groups and ("explosive" in groups or event_type == "Explosions/Remote violence"):
            return "Explosions/Remote violence", "Suicide bomb"
        if "chemical" in groups and sub_type != "Air/drone strike":
            return "Explosions/Remote violence", "Chemical weapon"
        if "grenade" in groups and sub_type not in {"Armed clash", "Air/drone strike"}:
            return "Explosions/Remote violence", "Grenade"
    if typing.plover_type == "ASSAULT" and any(c.dep_ in {"compound", "amod"} and c.lower_ in {"air", "aerial", "drone"}
                                               for c in token.children):
        return "Explosions/Remote violence", "Air/drone strike"  # "air raids", "drone attack"
    if sub_type == "Shelling/artillery/missile attack" and "crowd_control" in groups:
        return "Protests", "Protest with intervention"  # "tear gas shells were lobbed": no artillery
    if sub_type == "Air/drone strike" and "aerial" not in groups and _lemma(token) in _STRIKE_VERBS:
        # "targeted the village with machine guns", "a looting campaign targeting shops": a strike by no aircraft
        if "artillery" in groups:
            return "Explosions/Remote violence", "Shelling/artillery/missile attack"
        if "explosive" in groups:
            return "Explosions/Remote violence", "Remote explosive/landmine/IED"
        event_type, sub_type = "Violence against civilians", "Attack"  # armed targets: a battle, below
    target = actor2.type if actor2 else None
    if typing.plover_type == "ASSAULT" and target == "protesters" and actor1 and actor1.type in {"police", "military"} \
            and ("protest" in groups or "riot" in groups):
        # students, workers, farmers are protesters only at a protest: "police shot and killed a student" is an attack
        return "Protests", "Excessive force against protesters"
    if sub_type in {"Protest with intervention", "Excessive force against protesters"}:
        # Tear gas, batons and arrests are an intervention; live fire or deaths are excessive force.
        lethal = "firearm" in groups or "death" in groups
        return "Protests", "Excessive force against protesters" if lethal else "Protest with intervention"
    if sub_type in {"Government regains territory", "Non-state actor overtakes territory"} and actor1 is not None:
        state = actor1.type in _STATE
        return "Battles", "Government regains territory" if state else "Non-state actor overtakes territory"
    if typing.plover_type == "PROTEST" and actor1 and actor1.type == "rioters":
        return "Riots", "Violent demonstration"
    if event_type is None and typing.plover_type in _VOICED and actor1 and (
            actor1.type == "protesters" or (actor1.type == "civilians" and "protest" in groups)):
        # "protesters demanded water", "residents, in protest at the works, demanded ...": in ACLED's
        # terms, the protest is the event
        return "Protests", "Peaceful protest"
    if typing.plover_type == "ASSAULT" and actor1 is not None and event_type not in {"Explosions/Remote violence", "Protests"}:
        # Violence by crowds is rioting in ACLED's terms, not a battle: demonstrators' is a violent
        # demonstration, a mob's or villagers' mob violence.
        if actor1.type == "protesters" or (actor1.type == "rioters" and "protest" in groups):
            return "Riots", "Violent demonstration"
        if actor1.type == "rioters":
            return "Riots", "Mob violence"  # "rioters clashed with soldiers during a raid": no demonstration
        if actor1.type == "civilians":
            return "Riots", "Mob violence"
    if typing.plover_type == "ASSAULT" and sub_type == "Peaceful protest" and (actor1 is None or actor1.type not in _STATE):
        return "Riots", "Violent demonstration"  # violence at a protest, by its side: "closed the bridge by burning crates"
    if typing.plover_type == "PROTEST" and sub_type == "Peaceful protest" and "riot" in groups:
        return "Riots", "Violent demonstration"  # "blocked the road with burning tyres", "threw stones"
    # ACLED's line between a battle and violence against civilians is who was targeted: armed men
    # are fought, unarmed people attacked, whatever the verb or the classifier said.
    if typing.plover_type == "ASSAULT" and event_type == "Battles" and sub_type == "Armed clash" \
            and target in {"civilians", "protesters"}:
        return "Violence against civilians", "Attack"
    if sub_type == "Attack":
        aimed = _aimed_at(token)
        if (target in _ARMED or _armed_target(aimed)) and not _off_duty_target(aimed):
            return "Battles", "Armed clash"
    if sub_type == "Attack" and _lemma(token) in _TWO_SIDED and target not in {"civilians", "protesters"}:
        return "Battles", "Armed clash"  # "ADF clashed with FARDC", "a shoot-out between rival gangs": both sides fire
    return event_type, sub_type


_TWO_SIDED = {"clash", "fight", "battle", "skirmish", "shoot-out", "shootout", "gunfight", "firefight", "crossfire"}


_NOT_UNDER_ARMS = re.compile(r"\b(?:former|retired|off[- ]duty|ex-|unarmed|demobili[sz]ed)", re.I)


def _aimed_at(token: Any) -> list[Any]:
    """The heads of what an act was aimed at: its object (a passive's subject) and its "at"/"on" target."""
    return [head for head in (_object(token, _is_passive(token)), _target(token)) if head is not None]


def _off_duty_target(aimed: list[Any]) -> bool:
    """"An off-duty soldier", "a former member of the police", "a retired officer": no one under arms,
    so killing them is violence against a civilian, not a battle."""
    for head in aimed:
        phrase = head.doc[head.left_edge.i : head.right_edge.i + 1].text
        if _NOT_UNDER_ARMS.search(phrase):
            return True
    return False


_STRIKE_VERBS = {"strike", "hit", "target"}
_MILITARY_TARGETS = {"checkpoint", "checkpost", "post", "outpost", "base", "position", "convoy", "patrol", "barracks",
                     "garrison", "bunker", "trench"}
_ARMED_GROUP_WORDS = {"gang", "gangs", "cartel", "militia", "trafficking", "trafficker", "traffickers", "criminal",
                      "armed", "insurgent", "rebel", "rebels", "militant", "militants", "paramilitary"}
_ARMED_PEOPLE = {"trafficker", "gangster", "hitman", "sicario", "gunman", "fighter", "combatant", "militiaman"}


def _armed_target(aimed: list[Any]) -> bool:
    """Whether the act was aimed at armed men, which ACLED counts as a battle whoever fired first:
    a checkpoint, a post or a convoy ("gunmen attacked a Taliban checkpoint"), a member of a gang or
    an armed group ("a cartel member was gunned down by rivals"), or a gang's gunman."""
    for head in aimed:
        lemma = head.lemma_.lower()
        if lemma in _MILITARY_TARGETS or lemma in _ARMED_PEOPLE:
            return True
        if lemma == "member" and any(t.lower_ in _ARMED_GROUP_WORDS or t.lemma_.lower() in _ARMED_GROUP_WORDS
                                     or (t.pos_ == "PROPN" and t.is_upper and len(t) > 1)
                                     for t in _core_tokens(head) if t is not head):
            return True  # "a TCP member", "members of the Gulf Clan's armed wing"
    return False


_TALLIED = _TOLL_VERBS | {"arrest", "detain", "abduct", "kidnap", "displace"}
_SPAN_STARTS = frozenset({"start", "beginning", "outbreak", "onset", "coup", "war", "conflict", "insurgency", "uprising"})
_YEAR = re.compile(r"^(?:19|20)\d{2}s?$")


def _over_a_span_of_time(verb: Any, spans: frozenset[str]) -> bool:
    """Whether the verb's own clause spreads it over a span of time ("killed since the 2021 coup",
    "since the start of the war", "have kidnapped hundreds of people this year"): a count of many
    acts, as the news gives to set a scene, not an incident. Only for acts that are tallied
    (killings, woundings, arrests, abductions): "have besieged Djibo since 2022" is one siege."""
    if _lemma(verb) not in _TALLIED:
        return False
    for child in verb.children:
        if child.dep_ in _CLAUSES:
            continue  # "killed five on Monday, bringing this year's toll to 300": the tally is the other verb's
        words = [token.lower_ for token in child.subtree]
        if child.dep_ == "prep" and child.lower_ == "since":
            if set(words) & _SPAN_STARTS or any(_YEAR.match(word) for word in words):
                return True
            continue  # "since Monday": a time, not a span
        phrase = f" {' '.join(words)} "
        if any(f" {span} " in phrase for span in spans):
            return True
    return False


_CLAUSES = frozenset({"advcl", "xcomp", "ccomp", "conj", "relcl", "acl", "parataxis", "cc", "punct"})


# --- the steps in order ----------------------------------------------------------------------------


def code_event(found: Candidate, context: _Context, typing: EventTyping | None = None) -> Event | None:
    """trigger → typing → roles → ACLED refinement → status, attribution and toll → confidence."""
    token, anchor, sentence = found.token, found.anchor, context.sentence
    cues = context.resources.dictionaries.cues
    status, status_words = read_status(anchor, sentence, cues)
    if typing is not None and _lemma(anchor) in cues.planned and any(c.dep_ == "xcomp" for c in anchor.children):
        status, status_words = Status.PLANNED, anchor.text  # the classifier's anchor is the plan: "is expected to face"
    if typing is None:
        typing = context.typer(found)
        if typing is None or _is_consequence(token, typing, context.resources.dictionaries, context.typer):
            return None
        typing = with_verdict(typing, sentence.verdict, context.groups)
    if _over_a_span_of_time(anchor, cues.tally_spans):
        return None  # "civilians killed by air strikes since the 2021 coup": a tally of many acts, not one
    roles = assign_roles(found, typing, context)
    if roles is None or judged_event_free(typing, sentence.verdict, status, roles):
        return None
    if typing.plover_type == "PROTEST" and roles.actor1 is not None and roles.actor1.type in _NON_STATE_ARMED:
        # "gunmen blocked the road with rocks": armed men who block a road blockade it; they do not protest
        typing = replace(typing, plover_type="COERCE", cameo_root="17", acled_event_type="Strategic developments",
                         acled_sub_event_type="Other", matched=f"{typing.matched}; by armed men, a blockade")
    evidence = [Evidence("plover_type", token.text, context.span_of(token), typing.rule), *roles.evidence]
    helpers, helper_evidence = associates(anchor, roles.actor1, context)
    evidence.extend(helper_evidence)
    evidence.append(Evidence("status", status_words, None, f"status {status}"))
    acled_type, acled_sub = refine_acled(typing, roles.actor1, roles.actor2, token, context.groups)
    event = Event(
        article_id=context.analysis.article.id,
        sentence_index=sentence.index,
        sentence=sentence.text,
        span=sentence.span,
        trigger=token.text,
        trigger_span=context.span_of(token),
        plover_type=typing.plover_type,
        cameo_root=typing.cameo_root,
        acled_event_type=acled_type,
        acled_sub_event_type=acled_sub,
        status=status,
        actor1=roles.actor1,
        actor2=roles.actor2,
        actor1_associates=helpers,
        evidence=evidence,
        trigger_token=token.i,
        trigger_offset=token.idx,
    )
    source = _attribution(anchor, sentence, cues, context.doc)
    if source and source[0].lower() in _PRONOUNS:
        speaker = _antecedent(context.by_sentence, sentence.index, 0, source[0].lower(), context.analysis.docs)
        if speaker is not None:
            source = (f"{source[0]} ({speaker.actor.name})", source[1])
    if source:
        event.attribution, event.attribution_span = source
        evidence.append(Evidence("attribution", source[0], source[1], "subject of a reporting verb"))
    if typing.plover_type == "ASSAULT":
        toll = fatalities(sentence.text, cues.cumulative)
        if toll:
            event.fatalities = toll[0]
            event.toll_is_vague = any(word in _VAGUE for word in toll[1].lower().split())
            evidence.append(Evidence("fatalities", toll[1], None, "death toll written in the sentence"))
    event.confidence = confidence(event, typing)
    return event


def _sentence_events(context: _Context) -> list[Event]:
    if not context.doc.has_annotation("DEP"):
        return []  # the classifier judged it event-free: it was not parsed
    events: list[Event] = []
    for token in context.doc:
        found = candidate(token, context.resources.dictionaries)
        event = code_event(found, context) if found is not None else None
        if event is not None:
            events.append(event)
    if not any(event.acled_event_type for event in events):
        context.already_coded = bool(events)
        context.coded_tokens = frozenset(event.trigger_token for event in events)
        found = classified_event(context)
        if found is not None and context.sentence.verdict is not None:
            event = code_event(found, context, type_by_verdict(context.sentence.verdict))
            if event is not None:
                events.append(event)
    return events


def _is_policing(typing: EventTyping, groups: frozenset[str] = frozenset()) -> bool:
    """Acts that, named in the passive with no agent, are the police's: coercion (not a kidnapping),
    an investigation, security stepped up ("security was tightened", a constrained MOBILIZE row), and
    force with crowd-control means ("tear gas shells were lobbed", "a lathi charge was resorted to")."""
    if typing.plover_type == "ASSAULT":
        return "crowd_control" in groups
    if typing.plover_type == "COERCE":
        return typing.acled_sub_event_type != "Abduction/forced disappearance"  # kidnappers are no police
    if typing.plover_type == "ACCUSE":
        return typing.cameo_root == "09"
    return typing.plover_type == "MOBILIZE" and typing.constrained


_ADMINISTRATIVE = {"order", "impose", "clamp", "place", "declare", "issue", "relax", "lift", "extend", "promulgate",
                   "ban", "outlaw", "proscribe", "prohibit", "restrict"}


def _implied_authority(token: Any, typing: EventTyping, context: _Context) -> Actor:
    """"Over 50 persons were arrested", "the cases are being investigated": the state's police,
    unnamed here. A curfew, a ban or an order ("curfew was clamped", "a judicial probe has been
    ordered") is the civil administration's act, not the police's: the state's government."""
    country = context.analysis.focus_country
    name = context.resources.country_names.get(country or "", "")
    span = context.span_of(token)
    administrative = _lemma(token) in _ADMINISTRATIVE and (
        typing.acled_sub_event_type == "Other" or typing.plover_type == "ACCUSE")
    if administrative:
        canonical = f"Government of {name}" if name else "Government"
        kind, entry = "government", "an order (a curfew, a ban, an inquiry) with no authority named"
    else:
        canonical = f"Police Forces of {name}" if name else "Police Forces"
        kind, entry = "police", "policing (an arrest, a search, an investigation) with no agent named"
    return Actor(token.text, canonical, country, kind, span, found_by=ActorSource.IMPLIED, entry=entry,
                 country_from=CountrySource.ARTICLE if name else CountrySource.NONE)


def _describe(pattern: VerbPattern) -> str:
    words = pattern.verb + (f" {pattern.particle}" if pattern.particle else "")
    return words + (f" + object {'|'.join(sorted(pattern.objects))}" if pattern.objects else "")


# --- step 6: confidence ----------------------------------------------------------------------------


def confidence(event: Event, typing: EventTyping) -> float:
    """Higher the more of the event is read from the sentence itself."""
    score = 0.35
    score += 0.2 if event.actor1 else 0.0
    score += 0.1 if event.actor2 else 0.0
    score += 0.1 if typing.constrained else 0.0
    score += 0.05 if event.attribution else 0.0
    return min(score, 0.95)


def run(analysis: Analysis, resources: Resources, typer: Typer = type_by_dictionary) -> None:
    """Code the events of one parsed article whose actors are found."""
    by_sentence: MentionIndex = {}  # built once: every sentence and every pronoun looks mentions up here
    for mention in analysis.actors:
        by_sentence.setdefault(mention.sentence_index, []).append(mention)
    events: list[Event] = []
    for sentence, doc in zip(analysis.sentences, analysis.docs, strict=True):
        events.extend(_sentence_events(_Context(analysis, sentence, doc, resources, by_sentence, typer)))
    met_with_force(events, analysis, resources)
    analysis.events = events


INTERVENTION_WITHIN = 2  # sentences after a protest, in its paragraph, that may tell how it was met
_INTERVENING = _STATE - {"government"}  # the forces that break up a protest


def met_with_force(events: list[Event], analysis: Analysis, resources: Resources) -> None:
    """A peaceful protest becomes what the next sentences of its paragraph say it turned into. ACLED
    codes a demonstration by its most violent part, as one event: demonstrators who then threw
    stones or burned tyres ("... They threw stones at the police") make it a violent demonstration;
    the state breaking it up ("Police fired tear gas to disperse them") a protest with intervention,
    or excessive force when lethal."""
    sentences = analysis.sentences
    by_sentence: dict[int, list[Event]] = {}
    for event in events:
        by_sentence.setdefault(event.sentence_index, []).append(event)
    for event in events:
        if event.acled_sub_event_type != "Peaceful protest" or not event.status.is_fact:
            continue
        here = sentences[event.sentence_index]
        violent_too = next((other for other in by_sentence[here.index] if other is not event
                            and other.plover_type == "ASSAULT" and other.status.is_fact
                            and other.actor1 is not None and event.actor1 is not None
                            and other.actor1.canonical == event.actor1.canonical), None)
        if violent_too is not None:  # "youths demonstrated and burnt machines"
            _recode(event, "Riots", "Violent demonstration", violent_too.trigger, violent_too.trigger_span,
                    "the demonstrators also committed violence, in the same sentence")
            continue
        for later in sentences[here.index + 1 : here.index + 1 + INTERVENTION_WITHIN]:
            if later.paragraph != here.paragraph:
                break
            same_sentence = by_sentence.get(later.index, [])
            rioting = next((other for other in same_sentence if other.status.is_fact and _by_the_crowd(other, event)),
                           None)
            if rioting is not None:  # not a mere "riot" word: "on the anniversary of the Capitol riot"
                _recode(event, "Riots", "Violent demonstration", rioting.trigger, rioting.trigger_span,
                        "the demonstrators turned violent, as a later sentence of its paragraph tells")
                break
            groups = resources.classifier.lexicon.groups_in(later.text)
            force = next((other for other in same_sentence
                          if other.actor1 is not None and other.actor1.type in _INTERVENING
                          and other.plover_type in {"COERCE", "ASSAULT"}), None)
            if force is None and "crowd_control" not in groups:
                continue
            lethal = (force is not None and force.acled_sub_event_type == "Excessive force against protesters") or (
                "crowd_control" not in groups and "firearm" in groups and "death" in groups)
            _recode(event, "Protests", "Excessive force against protesters" if lethal else "Protest with intervention",
                    force.trigger if force else later.text, force.trigger_span if force else later.span,
                    "the protest was broken up, as a later sentence of its paragraph tells")
            break


def _by_the_crowd(other: Event, protest: Event) -> bool:
    """Whether a later event is the demonstrators' violence: a violent demonstration ("they threw
    stones") or mob violence by the crowd ("rioters looted a shop"), not the violence a protest is
    about ("men killed in recent months")."""
    if other.acled_sub_event_type not in {"Violent demonstration", "Mob violence"}:
        return False
    if other.actor1 is None:
        return other.plover_type == "PROTEST" and other.acled_sub_event_type == "Violent demonstration"
    return other.actor1.type in {"protesters", "rioters"} or (
        protest.actor1 is not None and other.actor1.canonical == protest.actor1.canonical)


def _recode(event: Event, event_type: str, sub_type: str, words: str, span: Span | None, rule: str) -> None:
    """Give a protest the ACLED category a neighbouring event shows it turned into, with that evidence."""
    event.acled_event_type, event.acled_sub_event_type = event_type, sub_type
    event.evidence.append(Evidence("acled_sub_event_type", words, span, rule))


STAGE = ArticleStage(
    "events",
    reads=("sentences", "docs", "actors", "article.id", "focus_country", "sentences.verdict"),
    writes=("events",),
    step=run,
)
