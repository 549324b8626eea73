import os

from dotenv import load_dotenv

load_dotenv()
BASE_URL = os.environ.get("BASE_URL", "https://example.org")
