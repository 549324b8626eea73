FROM python:3.10-slim
RUN apt-get update && apt-get install -y libpq5=15.* python3-dev
