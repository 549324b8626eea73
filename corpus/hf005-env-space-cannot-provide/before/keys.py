from pathlib import Path

from dotenv import dotenv_values

SECRET_KEY = open("/run/secrets/secret_key").read().strip()
SECRETS_DIR = Path("/run/secrets")
config = dotenv_values(".env")
OPENAI_API_KEY = config["OPENAI_API_KEY"]
