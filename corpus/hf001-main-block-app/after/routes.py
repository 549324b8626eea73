from fastapi import APIRouter

router = APIRouter()


@router.get("/quotes/random")
def random_quote():
    return {"quote": "Simple is better than complex."}
