from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    from tests.factories import build_world

    # as if committed: the subscribers of core.changes (the panorama's figures) follow
    with django_capture_on_commit_callbacks(execute=True):
        return build_world()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing passwords the production way costs ~0.3 s each; tests need no such cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_throttle():
    """Failed sign-ins counted by one test must not lock an account in the next one."""
    from django.core.cache import caches

    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


@pytest.fixture(autouse=True)
def _changes_isolated():
    """A test's transaction never commits: what it announced (core.changes) and did not send
    must not reach the next test's subscribers."""
    from reciprocite.core import changes

    changes.discard()
    yield
    changes.discard()
