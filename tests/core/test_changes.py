"""core.changes: what an owner announces in a transaction reaches the subscribers once,
after the commit, with the union of the ids; never after a rollback; a failing subscriber is
logged, not raised into the writer; rebuilds run on demand (manage.py derived_rebuild)."""

import io
import logging

import pytest
from django.core.management import call_command
from django.db import transaction

from reciprocite.core import changes

pytestmark = pytest.mark.django_db

TOPIC = "tests.things"


@pytest.fixture
def received():
    calls = []

    def subscriber(ids):
        calls.append(ids)

    changes.subscribe(TOPIC, subscriber)
    yield calls
    changes.unsubscribe(TOPIC, subscriber)


def test_once_per_transaction_after_the_commit_with_the_union(
    received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        with transaction.atomic():
            changes.announce(TOPIC, [3, 1])
            changes.announce(TOPIC, [1, None, 2])
            changes.announce("tests.nobody-listens", [9])
            assert received == []
    assert received == [frozenset({1, 2, 3})]
    assert len(hooks) == 2  # one per announcement (a topic nobody listens to costs none)
    with django_capture_on_commit_callbacks(execute=True):
        changes.announce(TOPIC, [4])
    assert received == [frozenset({1, 2, 3}), frozenset({4})]  # a new transaction, a new batch


def test_a_rolled_back_transaction_calls_nobody(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            changes.announce(TOPIC, [1])
            raise RuntimeError("rolled back")
    assert received == []


def test_a_savepoint_rolled_back_loses_none_of_the_transaction(
    received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            changes.announce(TOPIC, [1])
            raise RuntimeError("savepoint rolled back")
        changes.announce(TOPIC, [2])
    # at least once: the savepoint's id too (a subscriber computes again, idempotently)
    assert received == [frozenset({1, 2})]


def test_nothing_announced_nothing_called(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        changes.announce(TOPIC, [])
        changes.announce(TOPIC, [None])
    assert hooks == [] and received == []


def test_a_failing_subscriber_is_logged_and_the_others_still_run(
    received, django_capture_on_commit_callbacks, caplog
):
    def broken(ids):
        raise ValueError("derived table gone")

    changes.subscribe(TOPIC, broken)
    try:
        with caplog.at_level(logging.ERROR, logger="reciprocite.core.changes"):
            with django_capture_on_commit_callbacks(execute=True):
                changes.announce(TOPIC, [5])
    finally:
        changes.unsubscribe(TOPIC, broken)
    assert received == [frozenset({5})]
    assert "change subscriber" in caplog.text and "tests.things" in caplog.text
    assert "derived table gone" in caplog.text


def test_subscribing_twice_calls_once(received, django_capture_on_commit_callbacks):
    (subscriber,) = changes.subscribers(TOPIC)
    changes.subscribe(TOPIC, subscriber)
    assert changes.subscribers(TOPIC) == (subscriber,)


@pytest.mark.django_db(transaction=True)
def test_in_autocommit_the_subscribers_are_called_at_once(received):
    changes.announce(TOPIC, [7])
    assert received == [frozenset({7})]
    with transaction.atomic():
        changes.announce(TOPIC, [8])
        assert received == [frozenset({7})]
    assert received == [frozenset({7}), frozenset({8})]


def test_discard_forgets_what_was_not_sent(received, django_capture_on_commit_callbacks):
    changes.announce(TOPIC, [1])  # the test's transaction never commits
    changes.discard()
    with django_capture_on_commit_callbacks(execute=True):
        changes.announce(TOPIC, [2])
    assert received == [frozenset({2})]


def test_the_rebuild_command_runs_every_registered_rebuild(monkeypatch):
    rebuilt = []

    def follow(ids):
        pass

    def rebuild():
        rebuilt.append("done")

    monkeypatch.setattr(changes, "_rebuilds", dict(changes._rebuilds))
    changes.subscribe(TOPIC, follow, rebuild=rebuild)
    try:
        out = io.StringIO()
        call_command("derived_rebuild", stdout=out)
    finally:
        changes.unsubscribe(TOPIC, follow)
    assert rebuilt == ["done"]
    lines = out.getvalue().splitlines()
    name = "tests.core.test_changes.test_the_rebuild_command_runs_every_registered_rebuild"
    assert f"rebuilt: {name}.<locals>.rebuild" in lines
    # the panorama's figures table registers its rebuild
    assert "rebuilt: reciprocite.panorama.services.figures_rebuild" in lines
