def main() -> None:
    print("seeded")


if __name__ == "__main__":
    main()
