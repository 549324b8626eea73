import boto3
import requests
import stripe
from fastapi import APIRouter
from huggingface_hub import InferenceClient
from slack_sdk import WebClient

router = APIRouter()

hf = InferenceClient(token="hf_FAKEOkSWPJJAVepElDtJpJPityTDrmIwMk")
GITHUB_HEADERS = {"Authorization": "Bearer ghp_FAKEMp4t3skn2H7sCB2jZ5uK8pRA2pocvvDv", "Accept": "application/vnd.github+json"}
GITHUB_FINE_GRAINED = "github_pat_11FAKEkzkdfPBScRTaQES2_kQU8KhDetUPPDABkRQlOh2f5QjRJDRZUmaS35YKFUVeYwL4IQ9FMVWMk0Oz"
s3 = boto3.client(
    "s3",
    aws_access_key_id="AKIAFAKE3902W4CHMMT2",
    aws_secret_access_key="FAKEw2rXh7Pq9Lm3Nv5Tz8Kb1Yc6Jd4Gs0Wf2Hx7",
)
GEMINI_KEY = "AIzaFAKEjmqeLb7PwBH2N1zLePZlSfnK_9UpXdx"
stripe.api_key = "sk_live_FAKEVdHnOm27ZrE2ke02Ne6gfEHUZIGUdIKSxr2Hv9Y1"
STRIPE_WEBHOOK_SECRET = "whsec_FAKE7hQ2xZk9LmW3vR8tY1bN6cJ4sD0gF5"
slack = WebClient(token="xoxb-0000000000-FAKEv9UF8kF6JMvBiTCMbkAh")
SUPABASE_SERVICE_ROLE_KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJmYWtlLXVzZXIiLCJuYW1lIjoiRkFLRSJ9.FAKEhf-crVQ3S8UH5Nmkn_SOFFfI-D_-3l6BadJ7lMT"


@router.get("/repos")
def repos():
    return requests.get("https://api.github.com/user/repos", headers=GITHUB_HEADERS).json()
