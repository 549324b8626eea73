from fastapi import APIRouter

router = APIRouter(prefix="/polls")


@router.get("/{poll_id}")
def get_poll(poll_id: int):
    return {"id": poll_id}


@router.post("/{poll_id}/vote")
def vote(poll_id: int, choice: int):
    return {"id": poll_id, "choice": choice}
