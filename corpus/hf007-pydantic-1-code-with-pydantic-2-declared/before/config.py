from pydantic import BaseSettings


class Settings(BaseSettings):
    title: str = "quotes"


settings = Settings()
