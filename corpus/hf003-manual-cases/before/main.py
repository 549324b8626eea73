import sys

from fastapi import FastAPI

app = FastAPI()


def run_cli() -> int:
    print("use the API")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli())
