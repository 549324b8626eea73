import httpx
import os


def make_client() -> httpx.Client:
    return httpx.Client(headers={"X-Signature": os.environ.get("SECRET_KEY")})
