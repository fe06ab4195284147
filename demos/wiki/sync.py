import time
import wikipedia

wikipedia.set_lang("fr")

def wiki(page):
    time.sleep(6)
    print(wikipedia.summary(page, sentences=1))

def main():
    start = time.perf_counter()
    for page in ["Coroutine", "Threading", "Programmation_concurrente"]:
        wiki(page)
    elapsed = time.perf_counter() - start
    print(f"Durée totale d'exécution: {elapsed:0.2f} secondes")

main()
