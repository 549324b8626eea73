from shop.api import app
