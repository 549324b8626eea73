#!/bin/sh
cd "$(dirname "$0")"
exec uvicorn server:app --host 0.0.0.0 --port 8000
