import httpx
from fastapi import APIRouter

from ..settings import BASE_URL

router = APIRouter()


@router.get("/items")
async def items() -> list[dict[str, object]]:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{BASE_URL}/items")
    return response.json()
