FROM python:3.10-slim
WORKDIR /srv
COPY . .
RUN pip install -r requirements.txt rq==1.16.2
CMD ["rq", "worker"]
