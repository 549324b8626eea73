CACHE: dict[str, str] = {}


def warm_cache() -> None:
    CACHE['ready'] = 'yes'
