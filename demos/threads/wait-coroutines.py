# Trois coroutines sur une seule boucle, un seul thread : 1 s aussi.
import asyncio
import time


async def attendre(nom):
    await asyncio.sleep(1)     # rend la main à la boucle
    print(nom, "a fini d'attendre")


async def main():
    debut = time.perf_counter()
    await asyncio.gather(attendre("A"), attendre("B"), attendre("C"))
    print(f"Durée totale d'exécution: {time.perf_counter() - debut:0.2f} secondes")


asyncio.run(main())
