def parse(text: str) -> dict:
    try:
        from tomllib import (
            TOMLDecodeError,
            loads,
        )
    except ModuleNotFoundError:  # Python 3.10: tomllib is new in 3.11
        from tomli import (
            TOMLDecodeError,
            loads,
        )

    try:
        return loads(text)
    except TOMLDecodeError:
        return {}
