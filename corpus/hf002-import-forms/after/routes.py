from fastapi import APIRouter

router = APIRouter()


@router.get("/todos")
def list_todos() -> list[dict[str, str]]:
    return []
