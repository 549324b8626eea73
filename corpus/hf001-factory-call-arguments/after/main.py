# Hugging Face Spaces entrypoint written by hffix: serves the app `create_app(...)` builds in shop/factory.py.
from dotenv import load_dotenv

load_dotenv()

from shop.factory import create_app  # noqa: E402
from shop.settings import Settings  # noqa: E402

app = create_app(settings=Settings(currency="CHF"), title="Shop")
