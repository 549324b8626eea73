from fastapi import APIRouter

router = APIRouter()


@router.get("/notes")
def notes() -> list[str]:
    return []
