import os

DATABASE_URL = "postgresql://notes:Zk4u9Qp2xLw7@db.internal.example.com:5432/notes"
OPENAI_API_KEY = "sk-proj-3fT9kLmN2pQrStUvWxYz0123456789AbCdEfGhIjKl"
APP_ENV = os.environ.get("APP_ENV", "development")
