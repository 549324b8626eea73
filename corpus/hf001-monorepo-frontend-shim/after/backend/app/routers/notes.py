from fastapi import APIRouter

router = APIRouter(prefix="/notes")
NOTES: list[dict] = []


@router.get("")
def list_notes():
    return NOTES


@router.post("")
def add_note(note: dict):
    NOTES.append(note)
    return note


@router.delete("/{index}")
def delete_note(index: int):
    return NOTES.pop(index)
