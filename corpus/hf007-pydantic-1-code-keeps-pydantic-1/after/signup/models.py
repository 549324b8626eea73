from pydantic import BaseModel, Field, validator


class Signup(BaseModel):
    username: str = Field(..., regex=r"^[a-z0-9_]+$")

    @validator("username")
    def not_reserved(cls, value: str) -> str:
        if value == "admin":
            raise ValueError("reserved")
        return value

    class Config:
        orm_mode = True
