from fastapi import FastAPI

from app.catalog import PRODUCTS

app = FastAPI(title="Shop")


@app.get("/products")
def products():
    return PRODUCTS
