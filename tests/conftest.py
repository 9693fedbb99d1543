import os
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# The tests never write into the user's own cache: prepared Word templates go to a folder of this
# run (subprocesses inherit the variable), removed at the end.
_CACHE = tempfile.mkdtemp(prefix="gaigen-test-cache-")
os.environ["GAIGEN_CACHE_DIR"] = _CACHE


@pytest.fixture(scope="session", autouse=True)
def _remove_test_cache() -> object:
    yield
    shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.fixture(autouse=True)
def _own_state_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep gaigen's record of the files it wrote (``GAIGEN_STATE_DIR``) out of the real home folder."""
    monkeypatch.setenv("GAIGEN_STATE_DIR", str(tmp_path_factory.mktemp("state")))
