import smtplib


def send_report(body: str) -> None:
    server = smtplib.SMTP("mail.example.com", 587)
    server.login("reports@example.com", "c0rrectH0rse")
    server.sendmail("reports@example.com", ["team@example.com"], body)
