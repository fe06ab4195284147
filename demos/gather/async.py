import asyncio
import time

async def name_async(first_name):
    await asyncio.sleep(10)
    print(first_name)

async def main():
    start = time.perf_counter()
    await asyncio.gather(
        name_async("Daniel"),
        name_async("Donna"),
        name_async("Diane"),
    )
    elapsed = time.perf_counter() - start
    print(f"Durée totale d'exécution: {elapsed:0.2f} secondes")

asyncio.run(main())
