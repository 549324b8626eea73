import os

OPENAI_API_KEY = "sua-chave-aqui"
DB_PASSWORD = "votre-cle-ici"
STRIPE_API_KEY = "tu-clave-aqui"
HF_TOKEN = "ihr-schlüssel"


class Settings:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    environment = "production"


settings = Settings()
if settings.SECRET_KEY == "dev-fallback-key":
    raise RuntimeError("set a real SECRET_KEY")
if os.environ.get("JWT_SECRET") == "local-dev-jwt-secret-1":
    raise RuntimeError("set a real JWT_SECRET")
