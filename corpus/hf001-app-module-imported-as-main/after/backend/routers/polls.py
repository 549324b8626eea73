from fastapi import APIRouter

from main import TITLE, VOTES

router = APIRouter(prefix="/polls")


@router.post("/{choice}")
def vote(choice: str) -> dict[str, int]:
    VOTES[choice] = VOTES.get(choice, 0) + 1
    return VOTES


@router.get("/")
def results() -> dict[str, object]:
    return {"poll": TITLE, "votes": VOTES}
