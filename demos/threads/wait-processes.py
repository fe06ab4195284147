# Trois processus, chacun son interpréteur et son GIL : 1 s, mais créer
# un processus coûte bien plus que créer un thread ou une coroutine.
import time
from concurrent.futures import ProcessPoolExecutor


def attendre(nom):
    time.sleep(1)
    return f"{nom} a fini d'attendre"


def main():
    debut = time.perf_counter()
    with ProcessPoolExecutor(max_workers=3) as pool:
        for ligne in pool.map(attendre, ("A", "B", "C")):
            print(ligne)
    print(f"Durée totale d'exécution: {time.perf_counter() - debut:0.2f} secondes")


if __name__ == "__main__":
    main()
