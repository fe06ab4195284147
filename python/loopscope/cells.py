"""Run a notebook's or a percent script's cells, as Jupyter runs them.

The code cells run in order in one namespace (__main__'s), each on one
event loop that lives across cells, with top-level await: a cell is
compiled with ast.PyCF_ALLOW_TOP_LEVEL_AWAIT and runs as a task of the
loop, a cell without await too. A cell whose last statement is an
expression shows its value as Out[n] (None not shown, ';' hides it);
IPython's own lines (%magic, !shell) are shown as skipped.

Each cell has a co_filename of its own: a notebook's cell is "In [n]"
with its text in linecache; a percent script's is the script, whose own
lines the cell keeps, so that python3 and loopscope name the same line.
The cells' code lines are the lines of the text the source panel shows;
tracebacks and warnings of a notebook's cell say the line in the cell.

Which cells run: "all", or N: cells 1 to N-1 quiet (untraced, instant,
their output dropped, as "run all above" sets up a namespace), then N.
"""

import ast
import asyncio
import inspect
import io
import linecache
import os
import sys
import tokenize
import traceback
import warnings

import _loopscope

from . import run

_SHOW = '__loopscope_show__'
_PASS = '__loopscope_pass__'
_SKIP = '__loopscope_skip__'
_FAIL = '__loopscope_fail__'

# co_filename -> its line offset, for a notebook's cells: the lines that
# tracebacks and warnings say are the cell's own.
_offsets = {}


class _Cell:
    """One code cell: its number, text and where its lines are."""

    def __init__(self, fmt, path, number, line, source):
        self.number = number
        self.line = line
        self.offset = line - 1
        self.source = source
        self.caption = None
        if fmt == 'ipynb':
            self.filename = f'In [{number}]'
            _offsets[self.filename] = self.offset
            lines = ['\n'] * self.offset + source.splitlines(True)
            if lines and not lines[-1].endswith('\n'):
                lines[-1] += '\n'
            linecache.cache[self.filename] = (
                len(source), None, lines, self.filename)
        else:
            self.filename = path


def _format_frame_summary(self, frame, _orig=traceback.StackSummary.
                          format_frame_summary):
    """A notebook cell's frame says the line in its cell."""
    text = _orig(self, frame)
    off = _offsets.get(frame.filename)
    if off and frame.lineno is not None:
        head, sep, rest = text.partition('\n')
        head = head.replace(f', line {frame.lineno},',
                            f', line {frame.lineno - off},', 1)
        text = head + sep + rest
    return text


def _formatwarnmsg(msg, _orig=warnings._formatwarnmsg):
    """A warning in a notebook cell says the line in its cell."""
    off = _offsets.get(msg.filename)
    if off and msg.lineno:
        line = msg.line
        if line is None:
            line = linecache.getline(msg.filename, msg.lineno)
        msg = warnings.WarningMessage(
            msg.message, msg.category, msg.filename, msg.lineno - off,
            msg.file, line, msg.source)
    return _orig(msg)


def _print_exception(exc, files):
    """As python3 prints it, from the first frame of the cells'."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename not in files:
        tb = tb.tb_next
    if isinstance(exc, SyntaxError) and exc.filename in _offsets:
        off = _offsets[exc.filename]
        if exc.lineno:
            exc.lineno -= off
        if exc.end_lineno:
            exc.end_lineno -= off
    exc = exc.with_traceback(tb)
    # Python's report of the error is no work of the program's: uncharged.
    from . import run as _run
    _run._uncharged(lambda: sys.stderr.write(
        ''.join(traceback.format_exception(exc))))()
    # After the print, which has the lane run: it ends failed.
    try:
        _loopscope.failed(f'{type(exc).__name__}: {exc}')
    except Exception:
        pass


def _magics(source):
    """The cell's text with IPython's lines made pass; and those lines."""
    lines = source.splitlines(True)
    first = next((s.strip() for s in lines if s.strip()), '')
    if first.startswith('%%'):
        return None, [(1 + [s.strip() for s in lines].index(first), first)]
    try:
        ast.parse(source)
        return source, []
    except SyntaxError:
        pass
    skipped = []
    for i, s in enumerate(lines):
        body = s.lstrip()
        if body.startswith(('%', '!')):
            skipped.append((i + 1, body.rstrip('\r\n')))
            end = '\n' if s.endswith('\n') else ''
            lines[i] = s[:len(s) - len(body)] + 'pass' + end
    return ''.join(lines), skipped


def _hidden(source):
    """Whether the cell ends with ';' (its value is not shown)."""
    last = None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type not in (tokenize.COMMENT, tokenize.NL,
                                tokenize.NEWLINE, tokenize.ENDMARKER,
                                tokenize.INDENT, tokenize.DEDENT):
                last = tok
    except (tokenize.TokenError, SyntaxError):
        return False
    return last is not None and last.string == ';'


def _compile(cell, source, skipped):
    """The cell as a coroutine's code: its lines those of the text shown.

    What it skipped is said first, from the cell's own task.
    """
    tree = ast.parse('\n' * cell.offset + (source or ''), cell.filename)
    tree = run._Instrument().visit(tree)
    for line, text in reversed(skipped):
        say = ast.Expr(value=ast.Call(
            func=ast.Name(id=_SKIP, ctx=ast.Load()),
            args=[ast.Constant(cell.number), ast.Constant(line),
                  ast.Constant(text)], keywords=[]))
        tree.body.insert(0, ast.copy_location(say, tree.body[0])
                         if tree.body else say)
    if source and tree.body and isinstance(tree.body[-1], ast.Expr) and \
            not _hidden(source):
        last = tree.body[-1]
        last.value = ast.copy_location(ast.Call(
            func=ast.Name(id=_SHOW, ctx=ast.Load()),
            args=[ast.Constant(cell.number), last.value], keywords=[]),
            last.value)
    _guard(tree)
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    code = compile(ast.fix_missing_locations(tree), cell.filename, 'exec',
                   flags=flags, dont_inherit=True)
    if not code.co_flags & inspect.CO_COROUTINE:
        # A cell without await runs in the loop too, as a task.
        body = tree.body[-1].body
        end = body[-1] if body else tree.body[-1]
        node = ast.Expr(value=ast.Await(value=ast.Call(
            func=ast.Name(id=_PASS, ctx=ast.Load()), args=[], keywords=[])))
        body.append(ast.copy_location(node, end))
        code = compile(ast.fix_missing_locations(tree), cell.filename,
                       'exec', flags=flags, dont_inherit=True)
    return code


def _guard(tree):
    """try: CELL except Exception as e: say e; raise: said in its lane."""
    future = 0
    while future < len(tree.body) and \
            isinstance(tree.body[future], ast.ImportFrom) and \
            tree.body[future].module == '__future__':
        future += 1
    body = tree.body[future:] or [ast.Pass()]
    name = '__loopscope_exc__'
    handler = ast.ExceptHandler(
        type=ast.Name(id='Exception', ctx=ast.Load()), name=name, body=[
            ast.Expr(value=ast.Call(
                func=ast.Name(id=_FAIL, ctx=ast.Load()),
                args=[ast.Name(id=name, ctx=ast.Load())], keywords=[])),
            ast.Raise()])
    node = ast.Try(body=body, handlers=[handler], orelse=[], finalbody=[])
    where = body[-1]
    for n in (node, handler) + tuple(handler.body):
        ast.copy_location(n, where)
    tree.body[future:] = [node]


def _caption(markdown):
    """A cell's caption: the first line of the markdown cell before it,
    its heading marks dropped (None when it has none)."""
    for line in (markdown or '').splitlines():
        line = line.lstrip('#').strip()
        if line:
            return line[:200]
    return None


def _skip(number, line, text):
    """What the cell holds that only IPython runs: skipped, and said."""
    print(f'In [{number}], line {line}: {text}: IPython only, skipped',
          file=sys.stderr)


def _show(number, value):
    """Out[n], as Jupyter shows a cell's value."""
    if value is None:
        return None
    text = repr(value)
    print(f'Out[{number}]:' + ('\n' if '\n' in text else ' ') + text)
    return None


async def _pass():
    """Awaited at the end of a cell without await: it never suspends."""


def _close(loop):
    """What asyncio.run does at its end: pending tasks cancelled."""
    try:
        tasks = asyncio.all_tasks(loop)
        for task in tasks:
            task.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks,
                                                   return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def _run_cell(loop, cell, namespace, files, traced):
    """Run one cell; its status as the program's (0: go on)."""
    source, skipped = _magics(cell.source)
    if traced:
        _loopscope.cell(cell.number, cell.line, cell.caption)
    try:
        code = _compile(cell, source, skipped)
    except SyntaxError as exc:
        _print_exception(exc, files)
        return 1
    _loopscope.rebase()
    builtins = namespace['__builtins__']
    builtins = getattr(builtins, '__dict__', builtins)
    builtins[_FAIL] = lambda exc: _print_exception(exc, files)
    try:
        coro = eval(code, namespace)
        # Its lane: the cell, In [n].
        coro.__name__ = coro.__qualname__ = f'In [{cell.number}]'
        loop.run_until_complete(coro)
    except SystemExit as exc:
        return run._exit_status(exc) or -1
    except KeyboardInterrupt as exc:
        _print_exception(exc, files)
        return 130
    except Exception:
        return 1
    return 0



def main(path, module, book, which):
    """Run the cells of book (from _loopscope.cells) that which says."""
    fmt, _text, entries = book
    cells = []
    before = None
    for kind, n, line, src in entries:
        if kind == 'code':
            cells.append(_Cell(fmt, path, n, line, src))
            cells[-1].caption = _caption(before)
        before = src if kind == 'markdown' else None
    last = len(cells) if which == 'all' else int(which)
    files = {c.filename for c in cells} | {path, os.path.realpath(path)}
    traceback.StackSummary.format_frame_summary = _format_frame_summary
    warnings._formatwarnmsg = _formatwarnmsg
    builtins = module.__builtins__
    builtins.__dict__[_SHOW] = _show
    builtins.__dict__[_PASS] = _pass
    builtins.__dict__[_SKIP] = _skip
    _loopscope.start(tuple(sorted(files)))
    out, err = sys.stdout, sys.stderr
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    status = 0
    for cell in cells[:last]:
        traced = which == 'all' or cell.number == last
        if not traced:
            # Set up the namespace: untraced, instant and silent.
            _loopscope.quiet(True)
            sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
        said = sys.stderr
        try:
            status = _run_cell(loop, cell, module.__dict__, files, traced)
        finally:
            sys.stdout, sys.stderr = out, err
            _loopscope.quiet(False)
        if status != 0:
            if not traced:
                # What it said is why the cell asked for did not run.
                print(f'loopscope: In [{cell.number}] failed, so In '
                      f'[{last}] did not run:', file=sys.stderr)
                sys.stderr.write(said.getvalue())
            break
    try:
        _close(loop)
    except BaseException as exc:
        _print_exception(exc, files)
    return max(status, 0)
