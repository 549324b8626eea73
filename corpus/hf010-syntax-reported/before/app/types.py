from collections.abc import Sequence

type Pair = tuple[int, int]


def first[T](items: Sequence[T]) -> T:
    return items[0]
