import asyncio

async def main():
    print("Nous découvrons les coroutines")

coro = main()   # runs nothing: gives a coroutine object
print(coro)
