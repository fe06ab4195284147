import asyncio
import time
import wikipedia

wikipedia.set_lang("fr")

async def wiki(page):
    await asyncio.sleep(6)
    # The blocking call runs in a thread: the loop runs the others.
    summary = await asyncio.to_thread(wikipedia.summary, page, sentences=1)
    print(summary)

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
