"""Application settings."""
import os

DATABASE_URL = os.environ.get("DATABASE_URL")
BETTER_AUTH_SECRET = os.environ.get("BETTER_AUTH_SECRET")
OPENAI_API_KEY: str = os.environ.get("OPENAI_API_KEY")
BETTER_AUTH_URL = os.getenv("BETTER_AUTH_URL", "http://localhost:3000")
