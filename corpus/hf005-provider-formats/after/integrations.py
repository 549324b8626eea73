import boto3
import requests
import stripe
from fastapi import APIRouter
from huggingface_hub import InferenceClient
from slack_sdk import WebClient
import os

router = APIRouter()

hf = InferenceClient(token=os.environ.get("HF_TOKEN"))
GITHUB_HEADERS = {"Authorization": f"Bearer {os.environ.get('GITHUB_TOKEN')}", "Accept": "application/vnd.github+json"}
GITHUB_FINE_GRAINED = os.environ.get("GITHUB_FINE_GRAINED")
s3 = boto3.client(
    "s3",
    aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID"),
    aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY"),
)
GEMINI_KEY = os.environ.get("GEMINI_KEY")
stripe.api_key = os.environ.get("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET")
slack = WebClient(token=os.environ.get("SLACK_BOT_TOKEN"))
SUPABASE_SERVICE_ROLE_KEY = os.environ.get("SUPABASE_SERVICE_ROLE_KEY")


@router.get("/repos")
def repos():
    return requests.get("https://api.github.com/user/repos", headers=GITHUB_HEADERS).json()
