import asyncio

async def main():
    print("Nous découvrons les coroutines")

asyncio.run(main())
