# Trois calculs dans trois threads : pas plus rapide. Un seul thread à la
# fois exécute du Python (le GIL) ; les autres attendent leur tour.
import shutil
import threading
import time


def calculer(nom, n=2_000_000):
    total = 0
    for i in range(n):
        total += i * i
    print(nom, "a fini de calculer")


def main():
    debut = time.perf_counter()
    fils = [threading.Thread(target=calculer, args=(nom,), name=f"thread {nom}")
            for nom in ("A", "B", "C")]
    for t in fils:
        t.start()
    for t in fils:
        t.join()
    print(f"Durée totale d'exécution: {time.perf_counter() - debut:0.2f} secondes")
    if shutil.which("python3.13t") is None:
        print("Sans GIL (python3.13t), ces threads calculeraient en parallèle :"
              " il n'est pas installé ici.")


main()
