import pytest

API_KEY = "q9Zx7Lm2Wp4Rt8Kd2"


@pytest.fixture
def key() -> str:
    return API_KEY
