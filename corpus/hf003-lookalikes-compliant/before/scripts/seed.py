"""Fill the database with demo rows: python -m scripts.seed"""
import sys


def seed(count: int) -> None:
    print(f"seeding {count} rows")


if __name__ == "__main__":
    seed(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
