import uvicorn

from shop.factory import create_app
from shop.settings import Settings

if __name__ == "__main__":
    uvicorn.run(create_app(settings=Settings(currency="CHF"), title="Shop"), host="0.0.0.0")
