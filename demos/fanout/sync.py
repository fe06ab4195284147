# N pages demandées l'une après l'autre, avec un client bloquant
# (requests) : chaque requête attend sa réponse avant la suivante.
import argparse
import os
import time

import requests

URL = os.environ.get("LOOPSCOPE_WIKI_URL",
                     "https://fr.wikipedia.org/api/rest_v1/page/summary/")


def fetch(page, session):
    response = session.get(URL + page, timeout=10)
    response.raise_for_status()
    return response.status_code


def main(n):
    start = time.perf_counter()
    failed = 0
    with requests.Session() as session:
        for i in range(n):
            try:
                fetch(f"Page_{i}", session)
            except requests.RequestException:
                failed += 1
    elapsed = time.perf_counter() - start
    print(f"{n} pages en {elapsed:0.2f} secondes")
    if failed:
        print(f"dont {failed} en échec")


parser = argparse.ArgumentParser()
parser.add_argument("--tasks", type=int, default=100)
parser.add_argument("--max-connections", type=int, default=0)
main(parser.parse_args().tasks)
