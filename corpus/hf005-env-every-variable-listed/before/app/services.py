import os

from decouple import config
from dotenv import dotenv_values
from environs import Env

env = Env()
env.read_env()

REDIS_URL = config("REDIS_URL", default="redis://localhost:6379/0")
MAIL_API_KEY = config("MAIL_API_KEY")
LOG_LEVEL = env.str("LOG_LEVEL", "info")
FEATURE_SEARCH = env.bool("FEATURE_SEARCH")
settings = {**dotenv_values(".env"), **os.environ}
SMTP_HOST = settings.get("SMTP_HOST", "localhost")
