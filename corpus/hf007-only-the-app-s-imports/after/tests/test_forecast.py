import respx


@respx.mock
def test_forecast(client) -> None:
    assert client is not None
