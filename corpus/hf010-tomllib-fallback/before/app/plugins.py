def parse(text: str) -> dict:
    from tomllib import (
        TOMLDecodeError,
        loads,
    )

    try:
        return loads(text)
    except TOMLDecodeError:
        return {}
