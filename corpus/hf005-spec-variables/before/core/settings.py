"""Application settings."""
import os

DATABASE_URL = "postgresql://neondb_owner:npg_FAKEGdv5fXSM@ep-fake-123456.us-east-2.aws.neon.tech/neondb?sslmode=require"
BETTER_AUTH_SECRET = "FAKE-better-auth-9f8e7d6c5b4a"
OPENAI_API_KEY: str = "sk-FAKEzqHxqcAsblDvliin8NvY40XDNXvzMWKYCBf1BTHaFiMP"
BETTER_AUTH_URL = os.getenv("BETTER_AUTH_URL", "http://localhost:3000")
