#!/bin/sh
exec uvicorn main:app --port ${PORT:-7860}
docker run -p 8000:8000 image
