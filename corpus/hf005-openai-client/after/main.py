from anthropic import Anthropic
from fastapi import FastAPI
from groq import Groq
from openai import OpenAI
import os

app = FastAPI()
openai_client = OpenAI(api_key=os.environ.get("OPENAI_API_KEY"))
claude = Anthropic(api_key=os.environ.get("ANTHROPIC_API_KEY"))
groq_client = Groq(api_key=os.environ.get("GROQ_API_KEY"))


@app.get("/")
def root():
    return {"status": "ok"}
