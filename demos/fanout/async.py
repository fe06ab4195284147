# N pages demandées toutes ensemble, avec un client asynchrone (aiohttp) :
# la boucle attend toutes les réponses à la fois, par au plus
# --max-connections connexions (0 : sans limite).
#
# aiohttp plutôt que httpx : sous loopscope, 1 000 requêtes prennent 1,2 s
# avec aiohttp et 12 s avec httpx, dont le calcul (anyio, ses tâches et
# son contexte SSL) compte aussi dans le temps simulé : 0,95 s contre
# 2,8 s au lieu des 0,50 s d'attente.
import argparse
import asyncio
import os
import time

import aiohttp

URL = os.environ.get("LOOPSCOPE_WIKI_URL",
                     "https://fr.wikipedia.org/api/rest_v1/page/summary/")


async def fetch(page, session):
    async with session.get(URL + page) as response:
        response.raise_for_status()
        await response.read()
        return response.status


async def main(n, max_connections):
    start = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=max_connections)
    timeout = aiohttp.ClientTimeout(total=None, sock_read=10)
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=timeout) as session:
        results = await asyncio.gather(
            *(fetch(f"Page_{i}", session) for i in range(n)),
            return_exceptions=True)
    elapsed = time.perf_counter() - start
    print(f"{n} pages en {elapsed:0.2f} secondes")
    failed = sum(isinstance(r, Exception) for r in results)
    if failed:
        print(f"dont {failed} en échec")


parser = argparse.ArgumentParser()
parser.add_argument("--tasks", type=int, default=100)
parser.add_argument("--max-connections", type=int, default=0)
args = parser.parse_args()
asyncio.run(main(args.tasks, args.max_connections))
