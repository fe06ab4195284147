# Trois calculs dans trois coroutines : un calcul ne rend jamais la main,
# la boucle les exécute l'un après l'autre.
import asyncio
import time


async def calculer(nom, n=2_000_000):
    total = 0
    for i in range(n):
        total += i * i
    print(nom, "a fini de calculer")


async def main():
    debut = time.perf_counter()
    await asyncio.gather(calculer("A"), calculer("B"), calculer("C"))
    print(f"Durée totale d'exécution: {time.perf_counter() - debut:0.2f} secondes")


asyncio.run(main())
