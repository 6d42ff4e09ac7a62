"""The label set of the learned event classifier: ACLED's event and sub-event types, PLOVER's types,
and the kinds of non-event text it must learn to refuse.

The definitions live in ``docs/annotation.md``; this module holds the names, and the default PLOVER
type of each ACLED sub-type (an annotation may say otherwise, e.g. looting as COERCE).
"""

from __future__ import annotations

from warmonitor.model import PLOVER_TYPES

# ACLED sub-event type → (ACLED event type, default PLOVER type)
ACLED_SUB_TYPES: dict[str, tuple[str, str]] = {
    "Armed clash": ("Battles", "ASSAULT"),
    "Government regains territory": ("Battles", "ASSAULT"),
    "Non-state actor overtakes territory": ("Battles", "ASSAULT"),
    "Chemical weapon": ("Explosions/Remote violence", "ASSAULT"),
    "Air/drone strike": ("Explosions/Remote violence", "ASSAULT"),
    "Suicide bomb": ("Explosions/Remote violence", "ASSAULT"),
    "Shelling/artillery/missile attack": ("Explosions/Remote violence", "ASSAULT"),
    "Remote explosive/landmine/IED": ("Explosions/Remote violence", "ASSAULT"),
    "Grenade": ("Explosions/Remote violence", "ASSAULT"),
    "Sexual violence": ("Violence against civilians", "ASSAULT"),
    "Attack": ("Violence against civilians", "ASSAULT"),
    "Abduction/forced disappearance": ("Violence against civilians", "COERCE"),
    "Peaceful protest": ("Protests", "PROTEST"),
    "Protest with intervention": ("Protests", "PROTEST"),
    "Excessive force against protesters": ("Protests", "ASSAULT"),
    "Violent demonstration": ("Riots", "PROTEST"),
    "Mob violence": ("Riots", "ASSAULT"),
    "Agreement": ("Strategic developments", "AGREE"),
    "Arrests": ("Strategic developments", "COERCE"),
    "Change to group/activity": ("Strategic developments", "MOBILIZE"),
    "Disrupted weapons use": ("Strategic developments", "COERCE"),
    "Headquarters or base established": ("Strategic developments", "MOBILIZE"),
    "Looting/property destruction": ("Strategic developments", "ASSAULT"),
    "Non-violent transfer of territory": ("Strategic developments", "RETREAT"),
    "Other": ("Strategic developments", "COERCE"),
}
ACLED_EVENT_TYPES: tuple[str, ...] = tuple(dict.fromkeys(event_type for event_type, _ in ACLED_SUB_TYPES.values()))
# The ACLED event types that make up political violence (what a false-event count counts).
POLITICAL_VIOLENCE: frozenset[str] = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"})

# PLOVER types a snippet may carry without any ACLED sub-type: verbal and material interactions
# ACLED does not record (a ministry's accusation, a visit, an aid delivery, sanctions).
PLOVER_ONLY: tuple[str, ...] = tuple(t for t in PLOVER_TYPES if t not in {"ASSAULT", "PROTEST"})

# Why a text that sounds like an event is not one: each non-event snippet names its kind.
NON_EVENT_KINDS: tuple[str, ...] = (
    "sports",  # "the striker hit back", "a crushing defeat"
    "business",  # "shares were hammered", "a price war"
    "weather",  # storms and hurricanes "striking", floods "battering"
    "disaster",  # earthquakes, tsunamis, accidents, fires without an attacker
    "disease",  # epidemics "killing", "the battle against malaria"
    "metaphor",  # "take a stand", "a war of words", "under fire from critics"
    "history",  # what happened years ago, told as background
    "anniversary",  # commemorations of old events
    "court",  # trials, verdicts and sentences about old events
    "statistics",  # cumulative tolls and aggregate figures
    "plan",  # intentions, preparations, schedules that have not happened
    "threat",  # speculative danger or warnings with no act by an actor
    "denial",  # an event said not to have happened
    "opinion",  # commentary, analysis, editorials
    "generic",  # general statements, policies, descriptions of a situation
    "crime",  # ordinary crime with no political or communal dimension
    "entertainment",  # films, games, books, exercises and drills
    "other",
)

STATUSES: tuple[str, ...] = ("occurred", "ongoing", "planned", "negated", "hypothetical")
SHAPES: tuple[str, ...] = ("cased", "lower_tokenized", "lower_prose")
STYLES: tuple[str, ...] = ("wire", "local", "ngo", "un", "government", "note", "other")

# Sub-types the events stage keeps in any story, whatever the classifier says of the sentence: an
# arrest is an explicit act of the state ("has been arrested for the murder", a theft's arrest).
ALWAYS_KEPT: frozenset[str] = frozenset({"Arrests"})

# The classifier's classes: one per ACLED sub-type, one per PLOVER-only type, and "none".
NONE = "none"


def class_of(acled_sub_event_type: str | None, plover_type: str | None, event: bool) -> str:
    """The one class a snippet trains: its ACLED sub-type, else its PLOVER type, else none."""
    if not event:
        return NONE
    if acled_sub_event_type:
        return acled_sub_event_type
    return f"PLOVER:{plover_type}"


CLASSES: tuple[str, ...] = (NONE, *ACLED_SUB_TYPES, *(f"PLOVER:{t}" for t in PLOVER_ONLY))
