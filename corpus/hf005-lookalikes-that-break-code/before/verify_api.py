import unittest

import requests

ADMIN_PASSWORD = "Adm1n-Pa55-verify"


class Smoke(unittest.TestCase):
    def test_login(self) -> None:
        requests.post("http://localhost:7860/login", json={"password": ADMIN_PASSWORD})
