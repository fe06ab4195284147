# Trois threads qui attendent en même temps : 1 s. Un thread qui dort
# rend le GIL : les autres avancent pendant ce temps.
import threading
import time


def attendre(nom):
    time.sleep(1)
    print(nom, "a fini d'attendre")


def main():
    debut = time.perf_counter()
    fils = [threading.Thread(target=attendre, args=(nom,), name=f"thread {nom}")
            for nom in ("A", "B", "C")]
    for t in fils:
        t.start()
    for t in fils:
        t.join()
    print(f"Durée totale d'exécution: {time.perf_counter() - debut:0.2f} secondes")


main()
