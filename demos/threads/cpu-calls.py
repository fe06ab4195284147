# Trois calculs, l'un après l'autre.
import time


def calculer(nom, n=2_000_000):
    total = 0
    for i in range(n):
        total += i * i
    print(nom, "a fini de calculer")


def main():
    debut = time.perf_counter()
    for nom in ("A", "B", "C"):
        calculer(nom)
    print(f"Durée totale d'exécution: {time.perf_counter() - debut:0.2f} secondes")


main()
