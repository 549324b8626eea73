from fastapi import APIRouter

from src.store import RECIPES

router = APIRouter()


@router.get("/")
def index() -> dict[str, int]:
    return {"recipes": len(RECIPES)}


@router.get("/recipes")
def recipes() -> list[str]:
    return RECIPES
