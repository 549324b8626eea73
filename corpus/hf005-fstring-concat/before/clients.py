import os

DB_HOST = os.getenv("DB_HOST", "localhost")
DATABASE_URL = f"postgresql+asyncpg://app:FAKEpgPa55w0rd@{DB_HOST}:5432/app"
HEADERS = {"Authorization": "Bearer sk-proj-FAKEECcNQf2suOoOOsgAwpIYiIP9K2zzSxxnF1eKUpTXYgwM"}
GITHUB_AUTH = "token " + "ghp_FAKEMp4t3skn2H7sCB2jZ5uK8pRA2pocvvDv"
WEBHOOK = f'https://hooks.example.com/{os.getenv("HOOK_ID")}?key=AIzaFAKEjmqeLb7PwBH2N1zLePZlSfnK_9UpXdx'
