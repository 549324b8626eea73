import anthropic
from fastapi import FastAPI

app = FastAPI()
client = anthropic.Anthropic()
