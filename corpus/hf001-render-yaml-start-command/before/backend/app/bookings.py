from fastapi import APIRouter

router = APIRouter(prefix="/bookings")


@router.get("/")
def bookings() -> list[str]:
    return ["room 1, 10:00"]
