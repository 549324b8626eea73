def collect(errors: list[Exception]) -> None:
    if errors:
        raise BaseExceptionGroup("several checks failed", errors)
