from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    app_name: str = "Todo API"
    debug: bool = False
    database_url: str
    local_database_url: str = "sqlite:///./todo.db"
    better_auth_secret: str = Field(
        description="signs session cookies",
    )
    openai_api_key: str | None = None
    algorithm: str = "HS256"
    access_token_expire_minutes: int = 30


settings = Settings()
