SECRET_KEY = "test-s3cret-FAKE"
client_key = "sk-proj-FAKEECcNQf2suOoOOsgAwpIYiIP9K2zzSxxnF1eKUpTXYgwM"


def test_key():
    assert client_key
