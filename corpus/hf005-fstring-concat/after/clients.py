import os

DB_HOST = os.getenv("DB_HOST", "localhost")
DATABASE_URL = f"postgresql+asyncpg://app:{os.environ.get('DB_PASSWORD')}@{DB_HOST}:5432/app"
HEADERS = {"Authorization": f"Bearer {os.environ.get('OPENAI_API_KEY')}"}
GITHUB_AUTH = "token " + os.environ.get("GITHUB_TOKEN", "")
WEBHOOK = f'https://hooks.example.com/{os.getenv("HOOK_ID")}?key={os.environ.get("GOOGLE_API_KEY")}'
