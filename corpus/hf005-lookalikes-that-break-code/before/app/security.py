import hashlib


def hash_password(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


TEMP_HASH = hash_password("temp-Pa55w0rd")
