"""Load the plain-text dictionaries the stages code with.

Built-in files live in ``warmonitor/data/``; a user folder (setting ``dictionaries``) may hold files
of the same names whose rows are added after, and so override, the built-in ones. Both go through
the same loader: the built-ins are just the first user.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from warmonitor.errors import DictionaryError
from warmonitor.lexicon import fold
from warmonitor.model import PLOVER_TYPES

BUILTIN = Path(__file__).parent / "data"


@dataclass(frozen=True, slots=True)
class NamedActor:
    canonical: str
    country: str | None
    type: str
    alias: str


@dataclass(frozen=True, slots=True)
class Agent:
    phrase: str
    type: str
    state: bool
    canonical: str  # template with {country}


@dataclass(frozen=True, slots=True)
class VerbPattern:
    verb: str  # lemma
    particle: str | None
    objects: frozenset[str]
    plover_type: str
    cameo_root: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    row: str  # "verbs.csv:12", for provenance


@dataclass(frozen=True, slots=True)
class Cues:
    """Word lists that change how an event is read (``cues.toml``); all lowercase lemmas or words."""

    reporting_verbs: frozenset[str] = frozenset()  # "..., the army said": the subject is the source
    planned: frozenset[str] = frozenset()  # put an event in the future ("vowed to retake")
    requests: frozenset[str] = frozenset()  # ask someone to act, not yet done ("urged the police to arrest")
    hypothetical: frozenset[str] = frozenset()  # make it possible rather than real ("could")
    negation: frozenset[str] = frozenset()  # deny it happened ("not", "denied")
    foiled: frozenset[str] = frozenset()  # stop it before it happens ("foiled", "thwarted")
    alleged: frozenset[str] = frozenset()  # make it an allegation ("allegedly")
    cumulative: frozenset[str] = frozenset()  # make a toll cumulative ("since 2009", "so far")
    tally_spans: frozenset[str] = frozenset()  # spread a killing or an arrest over time: a tally ("this year")
    government_bodies: frozenset[str] = frozenset()  # an unknown organisation named so is a government body
    armed_bodies: frozenset[str] = frozenset()  # ... an armed group or force
    police_bodies: frozenset[str] = frozenset()  # ... a police force
    party_bodies: frozenset[str] = frozenset()  # ... a party
    civic_bodies: frozenset[str] = frozenset()  # ... a union, NGO or association
    ongoing: frozenset[str] = frozenset()  # still going on ("continue")
    future_time: frozenset[str] = frozenset()  # phrases meaning it is yet to come ("next week")
    locative_prepositions: frozenset[str] = frozenset()  # make the next noun phrase a place
    near_prepositions: frozenset[str] = frozenset()  # make a place "near" rather than "in"
    nominal_subject_verbs: frozenset[str] = frozenset()  # "clashes broke out"
    nominal_object_verbs: frozenset[str] = frozenset()  # "staged a sit-in"
    agent_descriptors: frozenset[str] = frozenset()  # "Russian attack drones": between a nationality and its agent

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def extended(self, path: Path, table: dict[str, object]) -> Cues:
        """These cues plus a parsed ``cues.toml``; an unknown list name is an error, not ignored."""
        changes: dict[str, frozenset[str]] = {}
        for name, words in table.items():
            if name not in self.names():
                raise DictionaryError(f"{path}: unknown cue list {name!r}; known: {', '.join(self.names())}")
            if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
                raise DictionaryError(f"{path}: cue list {name!r} must be a list of strings")
            changes[name] = getattr(self, name) | {word.lower() for word in words}
        return replace(self, **changes)


@dataclass(slots=True)
class Dictionaries:
    actors: dict[str, NamedActor] = field(default_factory=dict)  # folded alias → actor
    agents: dict[str, Agent] = field(default_factory=dict)  # folded phrase → agent
    nationalities: dict[str, str | None] = field(default_factory=dict)  # folded word → ISO3
    verbs: dict[str, list[VerbPattern]] = field(default_factory=dict)  # lemma → patterns
    nouns: dict[str, VerbPattern] = field(default_factory=dict)  # event noun lemma → coding
    cues: Cues = field(default_factory=Cues)
    sources: list[Path] = field(default_factory=list)

    @classmethod
    def load(cls, user_folder: Path | None = None) -> Dictionaries:
        loaded = cls()
        for folder in (BUILTIN, user_folder):
            if folder is None:
                continue
            if not folder.is_dir():
                raise DictionaryError(f"dictionaries folder {folder} does not exist")
            loaded._load_folder(folder)
        for patterns in loaded.verbs.values():
            # Specific patterns (with an object list) are tried first; user rows before built-ins.
            patterns.sort(key=lambda pattern: (not pattern.objects, not pattern.particle))
        return loaded

    def _load_folder(self, folder: Path) -> None:
        if (folder / "actors.csv").exists():
            for _line, row in _rows(folder / "actors.csv", ("canonical", "country", "type", "aliases")):
                for alias in [row["canonical"], *row["aliases"].split("|")]:
                    if alias.strip():
                        self.actors[fold(alias)] = NamedActor(
                            row["canonical"], row["country"] or None, row["type"], alias.strip()
                        )
        if (folder / "agents.csv").exists():
            for _line, row in _rows(folder / "agents.csv", ("agent", "type", "state", "canonical")):
                agent = Agent(row["agent"], row["type"], row["state"].strip().lower() == "yes", row["canonical"])
                for form in _number_forms(fold(row["agent"])):
                    self.agents.setdefault(form, agent)
                self.agents[fold(row["agent"])] = agent
        if (folder / "nationalities.csv").exists():
            for _line, row in _rows(folder / "nationalities.csv", ("word", "country")):
                self.nationalities[fold(row["word"])] = row["country"] or None
        if (folder / "verbs.csv").exists():
            columns = ("verb", "object", "plover_type", "cameo_root", "acled_event_type", "acled_sub_event_type")
            for line, row in _rows(folder / "verbs.csv", columns):
                pattern = _verb_pattern(row, f"{folder.name}/verbs.csv:{line}")
                self.verbs.setdefault(pattern.verb, []).insert(0, pattern)
        if (folder / "nouns.csv").exists():
            columns = ("verb", "object", "plover_type", "cameo_root", "acled_event_type", "acled_sub_event_type")
            for line, row in _rows(folder / "nouns.csv", columns):
                pattern = _verb_pattern(row, f"{folder.name}/nouns.csv:{line}")
                self.nouns[row["verb"].lower()] = pattern
        if (folder / "cues.toml").exists():
            try:
                cues = tomllib.loads((folder / "cues.toml").read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as error:
                raise DictionaryError(f"{folder / 'cues.toml'}: {error}") from error
            self.cues = self.cues.extended(folder / "cues.toml", cues)
        self.sources.append(folder)


def _number_forms(phrase: str) -> set[str]:
    """Singular and plural of a phrase's last word, so "soldiers" also finds "soldier"."""
    head, _, last = phrase.rpartition(" ")
    forms = {last}
    if last.endswith("men"):
        forms.add(last[:-3] + "man")
    elif last.endswith("ies"):
        forms.add(last[:-3] + "y")
    elif last.endswith("s") and not last.endswith("ss"):
        forms.add(last[:-1])
    elif last.endswith("y"):
        forms.add(last[:-1] + "ies")
    elif last.endswith("man"):
        forms.add(last[:-3] + "men")
    else:
        forms.add(last + "s")
    irregular = {"people": "person", "children": "child", "police": "police"}
    forms.update(irregular.get(f, f) for f in list(forms))
    return {f"{head} {form}".strip() for form in forms}


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [(number, text) for number, text in enumerate(handle, start=1) if not text.startswith("#")]
    reader = csv.DictReader(text for _, text in lines)
    missing = set(required) - set(reader.fieldnames or ())
    if missing:
        raise DictionaryError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    for (number, _), row in zip(lines[1:], reader, strict=False):
        if None in row or any(row.get(column) is None for column in required):
            raise DictionaryError(f"{path}:{number}: wrong number of fields")
        yield number, {key: (value or "").strip() for key, value in row.items()}


def _verb_pattern(row: dict[str, str], where: str) -> VerbPattern:
    if row["plover_type"] not in PLOVER_TYPES:
        raise DictionaryError(f"{where}: unknown PLOVER type {row['plover_type']!r}")
    if not (row["cameo_root"].isdigit() and 1 <= int(row["cameo_root"]) <= 20):
        raise DictionaryError(f"{where}: cameo_root must be 01-20, got {row['cameo_root']!r}")
    verb, _, particle = row["verb"].lower().partition(" ") if "-" not in row["verb"] else (row["verb"].lower(), "", "")
    return VerbPattern(
        verb=verb,
        particle=particle or None,
        objects=frozenset(word.strip().lower() for word in row["object"].split("|") if word.strip()),
        plover_type=row["plover_type"],
        cameo_root=f"{int(row['cameo_root']):02d}",
        acled_event_type=row["acled_event_type"] or None,
        acled_sub_event_type=row["acled_sub_event_type"] or None,
        row=where,
    )
