import os

from fastapi import FastAPI, UploadFile
from openai import OpenAI
from pydub import AudioSegment

app = FastAPI()
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])


@app.post("/transcribe")
async def transcribe(file: UploadFile) -> dict[str, float]:
    audio = AudioSegment.from_file(file.file)
    return {"seconds": audio.duration_seconds, "level": os.getenv("LOG_LEVEL", "info") == "debug"}
