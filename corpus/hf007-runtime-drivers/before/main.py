from fastapi import Depends, FastAPI, Request
from fastapi.security import OAuth2PasswordRequestForm
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, EmailStr

from app.db import get_session
from app.security import hash_password

app = FastAPI()
templates = Jinja2Templates(directory="templates")


class User(BaseModel):
    email: EmailStr


@app.post("/token")
async def token(form: OAuth2PasswordRequestForm = Depends(), session=Depends(get_session)):
    return {"access_token": hash_password(form.password)}


@app.get("/")
def home(request: Request):
    return templates.TemplateResponse(request, "index.html")
