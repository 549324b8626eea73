#!/bin/sh
set -e
exec gunicorn main:app -k uvicorn.workers.UvicornWorker \
    --workers 2
