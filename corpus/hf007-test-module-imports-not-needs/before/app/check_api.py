"""Smoke checks for the API, run with pytest app/check_api.py."""

import pytest
import respx
from fastapi.testclient import TestClient

from app.main import app


@pytest.fixture
def client() -> TestClient:
    return TestClient(app)


def test_health(client: TestClient) -> None:
    with respx.mock:
        assert client.get("/health").status_code == 200
