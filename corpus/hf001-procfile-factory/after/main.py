# Hugging Face Spaces entrypoint written by hffix: serves the app `create_app()` builds in api/app.py.
from dotenv import load_dotenv

load_dotenv()

from api.app import create_app  # noqa: E402

app = create_app()
