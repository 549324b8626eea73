from fastapi import APIRouter

from api.settings import ADMIN

router = APIRouter()


@router.get("/")
def users() -> list[str]:
    return [ADMIN]
