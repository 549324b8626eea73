from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    app_name: str = "Todo API"
    debug: bool = False
    database_url: str = "postgresql://neondb_owner:npg_FAKEGdv5fXSM@ep-fake-123456.us-east-2.aws.neon.tech/neondb?sslmode=require"
    local_database_url: str = "sqlite:///./todo.db"
    better_auth_secret: str = Field(
        "better-auth-s3cret-FAKE-0123",
        description="signs session cookies",
    )
    openai_api_key: str | None = "sk-proj-FAKEECcNQf2suOoOOsgAwpIYiIP9K2zzSxxnF1eKUpTXYgwM"
    algorithm: str = "HS256"
    access_token_expire_minutes: int = 30


settings = Settings()
