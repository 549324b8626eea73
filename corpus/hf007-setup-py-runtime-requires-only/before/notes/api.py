import markdown
from fastapi import APIRouter

router = APIRouter()


@router.get("/render")
def render(text: str) -> dict[str, str]:
    return {"html": markdown.markdown(text)}
