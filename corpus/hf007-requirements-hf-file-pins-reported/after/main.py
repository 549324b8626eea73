from fastapi import FastAPI, UploadFile
from PIL import Image

app = FastAPI()


@app.post("/size")
async def size(image: UploadFile) -> dict[str, int]:
    width, height = Image.open(image.file).size
    return {"width": width, "height": height}
