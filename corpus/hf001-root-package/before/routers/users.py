from fastapi import APIRouter

from ..settings import PREFIX

router = APIRouter(prefix=PREFIX)


@router.get("/")
def list_users():
    return []
