import httpx


def make_client() -> httpx.Client:
    return httpx.Client(headers={"X-Signature": "q9Zx7Lm2Wp4Rt8"})
