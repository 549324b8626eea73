from fastapi import APIRouter

router = APIRouter(prefix="/items", tags=["items"])


@router.get("/")
def list_items():
    return [{"id": 1, "name": "Notebook"}]


@router.post("/")
def create_item(item: dict):
    return item
