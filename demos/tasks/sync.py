import sys
import time

sys.set_int_max_str_digits(0)  # Python 3.11+ refuses str() of huge ints

def name():
    time.sleep(10)
    print("Daniel")

def calculation(x):
    digits = str(x ** 1000000)[:2]
    print(digits)

def main():
    start = time.perf_counter()
    name()
    calculation(5)
    calculation(3)
    elapsed = time.perf_counter() - start
    print(f"Durée totale d'exécution: {elapsed:0.2f} secondes")

main()
