import os
from typing import ClassVar

_DEV_SECRET_KEY = "dev-secret-key-for-local-runs"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY)
PAYMENTS_KEY = os.environ.get("PAYMENTS_KEY")
PASSWORD_TOO_SHORT = "Le mot de passe doit contenir au moins 8 caractères"


class Policy:
    WEAK_SECRETS: ClassVar[set[str]] = {"changeme-please", "local-dev-jwt-secret"}


def check() -> None:
    if os.environ.get("APP_ENV") == "prod" and SECRET_KEY == _DEV_SECRET_KEY:
        raise RuntimeError("set a real SECRET_KEY")
