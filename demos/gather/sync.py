import time

def name(first_name):
    time.sleep(10)
    print(first_name)

def main():
    start = time.perf_counter()
    name("Daniel")
    name("Donna")
    name("Diane")
    elapsed = time.perf_counter() - start
    print(f"Durée totale d'exécution: {elapsed:0.2f} secondes")

main()
