from anthropic import Anthropic
from fastapi import FastAPI
from groq import Groq
from openai import OpenAI

app = FastAPI()
openai_client = OpenAI(api_key="sk-proj-FAKEECcNQf2suOoOOsgAwpIYiIP9K2zzSxxnF1eKUpTXYgwM")
claude = Anthropic(api_key="sk-ant-api03-FAKEfzk1J-o82PYnILGwQGvBSBBXKd5t5T33JnbYfPrYs5ClnrIehe6bhqHxzui-4HOIhdTNc4SKjGmTY8unPk9ybaMd6AA")
groq_client = Groq(api_key="gsk_FAKEH5MeDRmitmDXJTHBLv47aF1PvrCNg0jzs8jaDkjQWL3Ecs0H")


@app.get("/")
def root():
    return {"status": "ok"}
