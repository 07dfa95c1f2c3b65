from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture
def world(db):
    from tests.factories import build_world

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
