from dataclasses import dataclass


@dataclass
class Settings:
    currency: str = "EUR"
