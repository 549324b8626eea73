import google
import acme_billing
import google.generativeai as genai
from tenacity import retry, stop_after_attempt

client = acme_billing.Client()


@retry(stop=stop_after_attempt(3))
def charge(amount: int) -> str:
    genai.configure()
    return client.charge(amount).id
