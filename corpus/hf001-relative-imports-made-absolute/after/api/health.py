from fastapi import APIRouter

from models import TITLE
from .checks import ready

router = APIRouter()


@router.get("/")
def index() -> dict[str, str | bool]:
    return {"service": TITLE, "ready": ready()}
