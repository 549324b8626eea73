from fastapi import APIRouter

router = APIRouter(prefix="/notes")


@router.get("/")
def list_notes() -> list[dict[str, str]]:
    return []
