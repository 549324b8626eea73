import json

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

with open("data/menu.json") as handle:
    MENU = json.load(handle)

app = FastAPI(title="Menu")
app.mount("/static", StaticFiles(directory="static"), name="static")
templates = Jinja2Templates(directory="templates")


@app.get("/menu")
def menu():
    return MENU


@app.get("/")
def home(request: Request):
    return templates.TemplateResponse(request, "home.html", {"menu": MENU})
