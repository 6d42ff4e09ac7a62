"""Cross-article de-duplication on hand-made mentions: which pairs can be one incident, how a
block is grouped, and what the canonical event says."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from warmonitor.cluster import (
    Mention,
    Thresholds,
    _join_coreported,
    canonical_record,
    cluster,
    fit_to_cluster,
    pair_score,
    reconcile_fatalities,
)

KHARTOUM = (15.50, 32.56)
OMDURMAN = (15.64, 32.48)  # about 18 km from Khartoum
WAD_MADANI = (14.40, 33.52)  # about 160 km from Khartoum


def mention(identifier: str, article: str, *, day: date = date(2024, 5, 2), place: tuple[float, float] | None = KHARTOUM,
            precision: str = "exact", country: str = "SD", plover: str = "ASSAULT", acled: str = "Battles",
            sub: str = "Armed clash", status: str = "occurred", fatalities: int | None = None,
            published: date | None = None, source: str | None = None, date_precision: str = "day",
            actor1: dict[str, Any] | None = None, confidence: float = 0.6) -> Mention:
    record: dict[str, Any] = {
        "id": identifier, "plover_type": plover, "acled_event_type": acled, "acled_sub_event_type": sub,
        "status": status, "date": day.isoformat(), "date_precision": date_precision, "fatalities": fatalities,
        "confidence": confidence, "sentence": f"sentence of {identifier}",
        "location": None if place is None else {"lat": place[0], "lon": place[1], "precision": precision,
                                                "country": country, "canonical": f"{place}"},
        "actor1": actor1,
    }
    return Mention(identifier, article, record, source or f"outlet of {article}", None, published or day)


def groups(mentions: list[Mention]) -> set[frozenset[str]]:
    return {frozenset(m.id for m in members) for members in cluster(mentions)}


def test_reports_of_one_clash_from_three_outlets_are_one_incident() -> None:
    reports = [mention("a", "wire"), mention("b", "daily", place=OMDURMAN, day=date(2024, 5, 3)),
               mention("c", "radio", sub="Attack", acled="Violence against civilians")]
    assert groups(reports) == {frozenset({"a", "b", "c"})}


def test_two_similar_incidents_a_day_and_80_km_apart_stay_two() -> None:
    elsewhere = (15.50 + 80 / 111.0, 32.56)  # 80 km north
    reports = [mention("a", "wire"), mention("b", "daily", place=elsewhere, day=date(2024, 5, 3))]
    assert pair_score(reports[0], reports[1]) is None
    assert groups(reports) == {frozenset({"a"}), frozenset({"b"})}


def test_places_in_other_countries_or_facts_and_denials_never_pair() -> None:
    assert pair_score(mention("a", "x"), mention("b", "y", country="SS")) is None
    assert pair_score(mention("a", "x"), mention("b", "y", status="negated")) is None
    assert pair_score(mention("a", "x", status="planned"), mention("b", "y", status="planned")) is not None
    assert pair_score(mention("a", "x", plover="PROTEST", acled="Protests", sub="Peaceful protest"),
                      mention("b", "y")) is None


def test_a_date_outside_the_window_weighs_against_but_a_coarse_date_stretches_it() -> None:
    early, late = mention("a", "x"), mention("b", "y", day=date(2024, 5, 12))
    assert pair_score(early, late) == 0.0
    month = mention("b", "y", day=date(2024, 5, 12), date_precision="month")
    assert (pair_score(early, month) or 0.0) > Thresholds().join


def test_a_state_actor_and_an_armed_group_are_not_one_actor() -> None:
    army = {"name": "the army", "canonical": "Sudanese Armed Forces", "type": "military", "country": "SDN"}
    rebels = {"name": "the RSF", "canonical": "Rapid Support Forces", "type": "rebel", "country": "SDN"}
    abduction = {"plover": "COERCE", "acled": "Violence against civilians", "sub": "Abduction/forced disappearance"}
    assert pair_score(mention("a", "x", actor1=army, **abduction), mention("b", "y", actor1=rebels, **abduction)) == 0.0
    assert (pair_score(mention("a", "x", actor1=army, **abduction), mention("b", "y", actor1=army, **abduction)) or 0.0) > 0.9
    # A clash has no direction: one outlet's first side may be the other's second.
    assert (pair_score(mention("a", "x", actor1=army), mention("b", "y", actor1=rebels)) or 0.0) > Thresholds().join


def test_a_vague_report_cannot_chain_two_incidents_together() -> None:
    # A country-level report fits both towns' incidents, but the two towns rule each other out:
    # it joins one cluster; the towns never merge through it.
    first = mention("a", "x")
    second = mention("b", "y", place=WAD_MADANI)
    vague = mention("c", "z", place=(15.0, 30.0), precision="country", published=date(2024, 5, 4))
    result = groups([first, second, vague])
    assert frozenset({"a", "b"}) not in result and not any({"a", "b"} <= g for g in result)
    assert fit_to_cluster(second, [first]) is None


def test_one_articles_second_attack_in_another_town_stays_its_own() -> None:
    reports = [mention("a", "x"), mention("b", "x", place=OMDURMAN, sub="Attack", acled="Violence against civilians")]
    assert groups(reports) == {frozenset({"a"}), frozenset({"b"})}


def test_tolls_are_reconciled_never_summed() -> None:
    members = [mention("a", "x", fatalities=12, published=date(2024, 5, 2)),
               mention("b", "y", fatalities=19, published=date(2024, 5, 3)),
               mention("c", "z", fatalities=17, published=date(2024, 5, 3)),
               mention("d", "w", fatalities=400, status="negated", published=date(2024, 5, 4))]
    assert reconcile_fatalities(members) == (17, [12, 17, 19])


def test_the_canonical_event_names_every_report_and_keeps_the_first_reports_id() -> None:
    vague = mention("a", "x", place=(15.0, 30.0), precision="country", published=date(2024, 5, 2), confidence=0.5)
    exact = mention("b", "y", published=date(2024, 5, 3), fatalities=4, confidence=0.5)
    record = canonical_record([exact, vague])
    assert record["id"] == "a" and record["published"] == "2024-05-02"
    assert record["location"]["precision"] == "exact" and record["chosen_from"]["location"] == "b"
    assert record["num_articles"] == 2 and record["num_sources"] == 2
    assert [m["id"] for m in record["mentions"]] == ["a", "b"]
    assert record["fatalities"] == 4
    assert record["confidence"] == 0.75  # two independent sources at 0.5 each


def _reference_cluster(mentions: list[Mention]) -> set[frozenset[str]]:
    """The grouping rule scored against every forming cluster, with no skipping."""
    formed: list[list[Mention]] = []
    for item in sorted(mentions, key=lambda m: m.report_order):
        best, best_rank = None, (0.0, 0)
        for members in formed:
            fit = fit_to_cluster(item, members)
            if fit is None or fit < Thresholds().join:
                continue
            scores = [score for member in members if (score := pair_score(item, member)) is not None]
            rank = ((max(scores) + fit) / 2, len(members))
            if rank > best_rank:
                best, best_rank = members, rank
        if best is None:
            formed.append([item])
        else:
            best.append(item)
    return {frozenset(m.id for m in members) for members in _join_coreported(formed)}


@st.composite
def blocks(draw: st.DrawFn) -> list[Mention]:
    count = draw(st.integers(min_value=1, max_value=14))
    made = []
    for index in range(count):
        offset = draw(st.integers(min_value=0, max_value=60))
        made.append(mention(
            f"m{index}", f"article{draw(st.integers(min_value=0, max_value=5))}",
            day=date(2024, 5, 1) + timedelta(days=offset),
            published=date(2024, 5, 1) + timedelta(days=offset + draw(st.integers(min_value=0, max_value=3))),
            place=(15.5 + draw(st.floats(min_value=-0.6, max_value=0.6)), 32.5 + draw(st.floats(min_value=-0.6, max_value=0.6))),
            precision=draw(st.sampled_from(["exact", "near", "admin1", "country"])),
            date_precision=draw(st.sampled_from(["day", "day", "week", "month"])),
            sub=draw(st.sampled_from(["Armed clash", "Attack"])),
            acled=draw(st.sampled_from(["Battles", "Violence against civilians"])),
        ))
    return made


@settings(max_examples=60, deadline=None)
@given(blocks(), st.randoms(use_true_random=False))
def test_grouping_depends_on_the_set_of_mentions_not_their_order(block: list[Mention], shuffler: random.Random) -> None:
    shuffled = list(block)
    shuffler.shuffle(shuffled)
    assert groups(shuffled) == groups(block)


@settings(max_examples=60, deadline=None)
@given(blocks())
def test_skipping_clusters_out_of_date_reach_changes_nothing(block: list[Mention]) -> None:
    assert groups(block) == _reference_cluster(block)


def test_an_incident_one_article_codes_two_ways_is_joined_but_not_across_towns() -> None:
    # Article x codes the shelling of Khartoum once as shelling and once as an attack on
    # civilians; y reports the shelling, z the attack. One happening, one canonical event.
    shelling = {"acled": "Explosions/Remote violence", "sub": "Shelling/artillery/missile attack"}
    attack = {"acled": "Violence against civilians", "sub": "Attack"}
    reports = [mention("x1", "x", **shelling), mention("x2", "x", **attack),
               mention("y1", "y", published=date(2024, 5, 3), **shelling),
               mention("z1", "z", published=date(2024, 5, 3), place=OMDURMAN, **attack)]
    assert groups(reports) == {frozenset({"x1", "x2", "y1", "z1"})}
    # The same article's attack in a town 160 km away stays its own incident.
    elsewhere = [mention("x1", "x", **shelling), mention("x2", "x", place=WAD_MADANI, **attack),
                 mention("y1", "y", published=date(2024, 5, 3), **shelling)]
    assert groups(elsewhere) == {frozenset({"x1", "y1"}), frozenset({"x2"})}


def test_one_articles_two_kinds_of_act_at_one_place_weigh_against_but_another_town_rules_out() -> None:
    shelling = {"acled": "Explosions/Remote violence", "sub": "Shelling/artillery/missile attack"}
    looting = {"plover": "ASSAULT", "acled": "Riots", "sub": "Looting/property destruction"}
    assert pair_score(mention("x1", "x", **shelling), mention("x2", "x", **looting)) == 0.0
    assert pair_score(mention("x1", "x", **shelling), mention("x2", "x", place=WAD_MADANI, **shelling)) is None
