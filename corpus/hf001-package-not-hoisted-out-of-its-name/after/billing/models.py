from pydantic import BaseModel


class Invoice(BaseModel):
    id: int
    total: float
