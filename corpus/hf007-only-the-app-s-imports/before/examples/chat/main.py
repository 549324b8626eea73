import gradio
from fastapi import FastAPI

app = gradio.mount_gradio_app(FastAPI(), gradio.Blocks(), path="/")
