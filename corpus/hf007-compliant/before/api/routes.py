from fastapi import APIRouter
from sqlmodel import SQLModel

router = APIRouter()


class Item(SQLModel):
    name: str
