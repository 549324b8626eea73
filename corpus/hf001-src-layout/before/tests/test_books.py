from fastapi.testclient import TestClient

from bookshelf.main import app


def test_book():
    assert TestClient(app).get("/books/1").json()["title"] == "Dune"
