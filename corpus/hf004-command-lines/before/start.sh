#!/bin/sh
set -e
exec gunicorn main:app -k uvicorn.workers.UvicornWorker \
    --bind 0.0.0.0:8000 \
    --workers 2
