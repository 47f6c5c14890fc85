import pytest


@pytest.fixture(scope="session", autouse=True)
def derived_models() -> dict:
    """The install tests build everything themselves, in the installed package's own empty caches."""
    return {}
