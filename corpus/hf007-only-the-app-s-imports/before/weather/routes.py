import httpx
import yaml
from fastapi import APIRouter

router = APIRouter()


@router.get("/forecast")
async def forecast(city: str) -> dict[str, object]:
    async with httpx.AsyncClient() as client:
        response = await client.get("https://weather.example.org", params={"q": city})
    return yaml.safe_load(response.text)
