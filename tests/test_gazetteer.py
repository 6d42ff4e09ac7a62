"""Gazetteer lookups and the rule that a gazetteer built from other sources is rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from warmonitor.errors import GazetteerMissing
from warmonitor.gazetteer import Gazetteer, fingerprint
from warmonitor.settings import Settings


def test_fingerprint_follows_the_override_files(tmp_path: Path) -> None:
    extra = tmp_path / "extra.csv"
    extra.write_text("name,aliases,feature,lat,lon,country,admin1,geonames_id,population\n", encoding="utf-8")
    base = fingerprint()
    assert fingerprint(extra) != base
    extra.write_text(extra.read_text() + "Camp Alpha,,region,1.0,2.0,SD,,,0\n", encoding="utf-8")
    assert fingerprint(extra) not in {base, fingerprint(tmp_path / "missing.csv")}


def test_a_gazetteer_from_other_sources_is_refused(settings: Settings) -> None:
    if not settings.gazetteer.exists():
        pytest.skip("gazetteer not built; ./test.sh builds it")
    Gazetteer(settings.gazetteer, fingerprint(settings.gazetteer_overrides))
    with pytest.raises(GazetteerMissing, match="older warmonitor"):
        Gazetteer(settings.gazetteer, "0" * 16)


def test_transliterations_reach_the_same_place(settings: Settings) -> None:
    if not settings.gazetteer.exists():
        pytest.skip("gazetteer not built; ./test.sh builds it")
    gazetteer = Gazetteer(settings.gazetteer)
    ids = {gazetteer.lookup(key)[-1].geonames_id for key in ("deir al zor", "deir ez zor", "dayr az zawr")}
    assert ids == {170794}
    assert gazetteer.lookup("syria")[0].feature == "country"
    assert gazetteer.lookup("the") is None
