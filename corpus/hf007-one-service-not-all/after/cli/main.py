import typer
from rich import print


def run() -> None:
    typer.run(lambda: print("phases"))
