# Attendre trois fois une seconde, l'une après l'autre : 3 s.
import time


def attendre(nom):
    time.sleep(1)          # le fil d'exécution dort : rien d'autre ne tourne
    print(nom, "a fini d'attendre")


def main():
    debut = time.perf_counter()
    for nom in ("A", "B", "C"):
        attendre(nom)
    print(f"Durée totale d'exécution: {time.perf_counter() - debut:0.2f} secondes")


main()
