import os

UPLOAD_SIGNATURE = os.environ.get("UPLOAD_SIGNATURE")
