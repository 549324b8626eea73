import pytest
import freezegun


@pytest.mark.skip
def test_smoke() -> None:
    with freezegun.freeze_time("2024-01-01"):
        pass
