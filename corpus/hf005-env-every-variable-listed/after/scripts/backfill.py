import os

TOKEN = os.environ["BACKFILL_TOKEN"]
