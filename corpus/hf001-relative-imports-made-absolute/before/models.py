from pydantic import BaseModel

TITLE = "Notes"


class Note(BaseModel):
    id: int
    text: str
