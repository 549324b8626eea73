from errors import collect
import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Self

from exceptiongroup import ExceptionGroup
from fastapi import FastAPI

if TYPE_CHECKING:
    from typing import LiteralString

app = FastAPI()


class Color(StrEnum):
    RED = "red"


class Node:
    def copy(self) -> Self:
        return self


@app.get("/now")
def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat()


def fail() -> None:
    raise ExceptionGroup("many", [ValueError("a")])
