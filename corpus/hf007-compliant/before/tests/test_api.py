import pytest


def test_nothing() -> None:
    assert pytest
