class _Cache:
    def set(self, key: str, value: str) -> None:
        _DATA[key] = value


_DATA: dict[str, str] = {}
cache = _Cache()


def put(key: str, value: str) -> None:
    _DATA[key] = value
