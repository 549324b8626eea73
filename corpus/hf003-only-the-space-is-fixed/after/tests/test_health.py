import pytest
from fastapi.testclient import TestClient

from main import app


def test_health() -> None:
    assert TestClient(app).get("/health").json() == {"status": "ok"}


if __name__ == "__main__":
    pytest.main([__file__])
