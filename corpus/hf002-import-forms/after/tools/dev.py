def dev() -> None:
    """Auto-reloading server."""


def prod() -> None:
    # Production settings
    workers = 4


def plain() -> None:
    pass
