from fastapi import APIRouter

router = APIRouter()


@router.get("/forecast/{city}")
def forecast(city: str):
    return {"city": city, "forecast": "sunny"}
