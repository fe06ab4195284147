# Ce que coûtent N threads et N coroutines qui font la même attente
# triviale (dormir cinq secondes), mesuré sur cette machine : le temps de
# les créer et de les finir (temps CPU du processus), la mémoire qu'ils
# occupent tous vivants (VmRSS), les changements de contexte (getrusage).
import argparse
import asyncio
import resource
import threading
import time


def memoire():
    """La mémoire résidente du processus, en octets."""
    with open("/proc/self/status") as f:
        for ligne in f:
            if ligne.startswith("VmRSS:"):
                return int(ligne.split()[1]) * 1024
    return 0


def commutations():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_nvcsw + r.ru_nivcsw


def avec_threads(n):
    avant, c0, t0 = memoire(), commutations(), time.process_time()
    fils = []
    try:
        for i in range(n):
            t = threading.Thread(target=time.sleep, args=(5,),
                                 name=f"thread {i}")
            t.start()
            fils.append(t)
    except RuntimeError as exc:     # la machine refuse d'en créer plus
        print(f"threads : {len(fils)} créés sur {n} ({exc})")
    creation = time.process_time() - t0
    octets = memoire() - avant
    for t in fils:
        t.join()
    fin = time.process_time() - t0 - creation
    return len(fils), creation, fin, octets, commutations() - c0


async def avec_coroutines(n):
    avant, c0, t0 = memoire(), commutations(), time.process_time()
    taches = [asyncio.create_task(asyncio.sleep(5), name=f"tâche {i}")
              for i in range(n)]
    await asyncio.sleep(0)          # chacune démarre et attend
    creation = time.process_time() - t0
    octets = memoire() - avant
    await asyncio.gather(*taches)
    fin = time.process_time() - t0 - creation
    return n, creation, fin, octets, commutations() - c0


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--tasks", type=int, default=10_000)
    p.add_argument("--max-connections", type=int, default=0)
    n = p.parse_args().tasks
    # Les coroutines d'abord : la mémoire que les threads auraient rendue
    # à Python servirait aux tâches sans qu'elle compte.
    coroutines = ("coroutines", *asyncio.run(avec_coroutines(n)))
    lignes = [("threads", *avec_threads(n)), coroutines]
    print(f"{'':<11}{'combien':>8}{'création':>11}{'fin':>9}"
          f"{'octets chacun':>15}{'commutations':>14}")
    for nom, k, creation, fin, octets, comm in lignes:
        print(f"{nom:<11}{k:>8}{creation:>10.3f}s{fin:>8.3f}s"
              f"{octets // max(k, 1):>15}{comm:>14}")
    t, c = lignes
    if c[4] > 0 and c[2] > 0:
        print(f"un thread occupe {t[4] / t[1] / max(c[4] / c[1], 1):.0f} fois "
              f"la mémoire d'une coroutine ; le créer coûte "
              f"{(t[2] / t[1]) / (c[2] / c[1]):.0f} fois plus de temps")


main()
