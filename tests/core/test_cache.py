"""The shared file cache (core/cache.py): same values as Django's file cache, entries
readable by either, culled at most once per interval, compressed at zlib level 1."""

from __future__ import annotations

import pickle
import zlib

from django.core.cache.backends.filebased import FileBasedCache

from reciprocite.core import cache as module
from reciprocite.core.cache import FileCache


def files(directory) -> int:
    return len(list(directory.glob("*.djcache")))


def test_values_round_trip_and_stay_readable_by_django_s_own_file_cache(tmp_path):
    ours = FileCache(str(tmp_path), {})
    stock = FileBasedCache(str(tmp_path), {})
    value = {"svg": "<path d='M0,0L1,1'/>" * 500, "n": [1, 2, 3]}
    ours.set("a", value)
    stock.set("b", value)
    assert ours.get("a") == value == stock.get("a")
    assert ours.get("b") == value
    assert ours.get("missing", "default") == "default"


def test_entries_are_compressed_at_level_one(tmp_path):
    ours = FileCache(str(tmp_path), {})
    value = "une carte du monde " * 5000
    ours.set("k", value, timeout=None)
    raw = (tmp_path / ours._key_to_file("k").rsplit("/", 1)[1]).read_bytes()
    header = pickle.dumps(None, ours.pickle_protocol)
    assert raw == header + zlib.compress(pickle.dumps(value, ours.pickle_protocol), 1)
    assert raw != header + zlib.compress(pickle.dumps(value, ours.pickle_protocol))


def test_culling_lists_the_directory_at_most_once_per_interval(tmp_path, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(module.time, "monotonic", lambda: clock[0])
    ours = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    listed = []
    original = ours._list_cache_files
    monkeypatch.setattr(ours, "_list_cache_files", lambda: listed.append(1) or original())
    for i in range(30):
        ours.set(f"k{i}", i)
    assert listed == [1]  # the first set only: the others came within the interval
    assert files(tmp_path) == 30  # above MAX_ENTRIES until the next cull
    clock[0] += module.CULL_SECONDS + 1
    ours.set("late", "x")
    assert len(listed) == 2
    assert files(tmp_path) == 30 - 15 + 1  # half culled (CULL_FREQUENCY 2), then written
    assert ours.get("late") == "x"
