import asyncio
import time
import wikipedia

wikipedia.set_lang("fr")

async def wiki(page):
    await asyncio.sleep(6)
    print(wikipedia.summary(page, sentences=1))  # blocks the loop

async def main():
    start = time.perf_counter()
    await asyncio.gather(
        wiki("Coroutine"),
        wiki("Threading"),
        wiki("Programmation_concurrente"),
        return_exceptions=True,
    )
    elapsed = time.perf_counter() - start
    print(f"Durée totale d'exécution: {elapsed:0.2f} secondes")

asyncio.run(main())
