import os

from dotenv import load_dotenv
from pydantic_settings import BaseSettings, SettingsConfigDict

os.environ.clear()
load_dotenv("/home/dev/notes/.env")
DEBUG = os.getenv("DEBUG", "false") == "true"


class Mail(BaseSettings):
    model_config = SettingsConfigDict(env_file="/etc/notes/mail.env", secrets_dir="/run/secrets")

    smtp_password: str = ""
