from main import parse_args


def test_seed():
    assert parse_args(["seed"]).command == "seed"
