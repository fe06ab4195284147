import asyncio
import sys
import time

sys.set_int_max_str_digits(0)  # Python 3.11+ refuses str() of huge ints

async def name():
    await asyncio.sleep(10)
    print("Daniel")

async def calculation(x):
    digits = str(x ** 1000000)[:2]
    print(digits)

async def main():
    start = time.perf_counter()
    t1 = asyncio.ensure_future(name())
    t2 = asyncio.ensure_future(calculation(5))
    t3 = asyncio.ensure_future(calculation(3))
    await t1
    await t2
    await t3
    elapsed = time.perf_counter() - start
    print(f"Durée totale d'exécution: {elapsed:0.2f} secondes")

asyncio.run(main())
