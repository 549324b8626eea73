from fastapi import APIRouter

from ..db import BOOKS

router = APIRouter(prefix="/books")


@router.get("")
def list_books():
    return BOOKS
