def init_db() -> None:
    pass
