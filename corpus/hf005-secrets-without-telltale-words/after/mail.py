import smtplib
import os


def send_report(body: str) -> None:
    server = smtplib.SMTP("mail.example.com", 587)
    server.login("reports@example.com", os.environ.get("SMTP_PASSWORD"))
    server.sendmail("reports@example.com", ["team@example.com"], body)
