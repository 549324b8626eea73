import pytest
import respx
from fastapi.testclient import TestClient

from main import app


@pytest.fixture
def client() -> TestClient:
    return TestClient(app)


@respx.mock
def test_render(client: TestClient) -> None:
    assert client.get("/render", params={"text": "*a*"}).status_code == 200
