from pydantic import AliasChoices, BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Database(BaseModel):
    host: str
    port: int = 5432


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="APP_", env_nested_delimiter="__", env_file=".env"
    )

    title: str = "Notes"
    debug: bool = False
    jwt_secret: str
    openai_key: str = Field(validation_alias=AliasChoices("OPENAI_API_KEY", "OPENAI_KEY"))
    hf_token: str | None = Field(default=None, alias="HF_TOKEN")
    db: Database


settings = Settings()
