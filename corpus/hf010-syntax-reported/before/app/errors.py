import asyncio


async def run_all(tasks: list) -> None:
    try:
        await asyncio.gather(*tasks)
    except* ValueError as group:
        print(group.exceptions)
