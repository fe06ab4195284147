"""Whether files would compile: what --watch asks before it runs again.

loopscope --python -I -B -m loopscope.check FILE...: each file compiled as
loopscope runs it (a notebook's or a percent script's cells one by one,
with top-level await, IPython's lines skipped), nothing run. Exit status
0 when all compile; else 1 and one line on stdout: where (the file, or
the notebook's cell) and Python's SyntaxError, or why the notebook is
bad.
"""

import sys

import _loopscope

from . import cells


def _check(path):
    """Compile path as loopscope would run it; raises what it finds."""
    book = _loopscope.cells(path)
    if book is None:
        with open(path, 'rb') as f:
            compile(f.read(), path, 'exec', dont_inherit=True)
        return
    fmt, _text, entries = book
    for kind, number, line, source in entries:
        if kind == 'code':
            cell = cells._Cell(fmt, path, number, line, source)
            text, skipped = cells._magics(source)
            cells._compile(cell, text, skipped)


def main(paths):
    """Check each path; the status, with what failed said."""
    for path in paths:
        try:
            _check(path)
        except SyntaxError as exc:
            line = exc.lineno or 0
            line -= cells._offsets.get(exc.filename, 0)
            where = exc.filename if exc.filename in cells._offsets else path
            print(f'{where}, line {line}: {type(exc).__name__}: {exc.msg}')
            return 1
        except (OSError, ValueError) as exc:
            print(exc)
            return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
