import smtplib
from email.message import EmailMessage

SMTP_HOST = "smtp.mail.example.org"
PORT = 587


def send(to: str, body: str) -> None:
    message = EmailMessage()
    message["To"] = to
    message.set_content(body)
    with smtplib.SMTP(SMTP_HOST, PORT) as server:
        server.send_message(message)
