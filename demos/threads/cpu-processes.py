# Trois calculs dans trois processus : chacun son GIL, ils tournent en
# parallèle sur plusieurs cœurs.
import time
from concurrent.futures import ProcessPoolExecutor


def calculer(nom, n=2_000_000):
    total = 0
    for i in range(n):
        total += i * i
    return f"{nom} a fini de calculer"


def main():
    debut = time.perf_counter()
    with ProcessPoolExecutor(max_workers=3) as pool:
        for ligne in pool.map(calculer, ("A", "B", "C")):
            print(ligne)
    print(f"Durée totale d'exécution: {time.perf_counter() - debut:0.2f} secondes")


if __name__ == "__main__":
    main()
