from fastapi import APIRouter

router = APIRouter()

GREETING = f"{"hello"} world"


@router.get("/")
def index() -> str:
    return GREETING
