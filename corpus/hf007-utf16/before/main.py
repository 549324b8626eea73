from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/upload")
async def upload(file: UploadFile) -> dict[str, int]:
    return {"size": len(await file.read())}
