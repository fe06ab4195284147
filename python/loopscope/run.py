"""Run the user's program as python3 runs a file, traced.

The program's own functions are wrapped for the tracer by a decorator put
innermost on every def (an AST pass at compile time: no profiling hook
slows the rest); everything else is what `python3 FILE` does: __main__,
sys.argv, sys.path[0], tracebacks, SystemExit and its status.
"""

import _thread
import ast
import builtins
import importlib.machinery
import os
import sys
import types

import _loopscope

from . import loop

_TRACE = '__loopscope_trace__'


class _Instrument(ast.NodeTransformer):
    """Add the tracer's decorator, innermost, to every function."""

    def _wrap(self, node):
        self.generic_visit(node)
        deco = ast.copy_location(ast.Name(id=_TRACE, ctx=ast.Load()), node)
        node.decorator_list.append(deco)
        return node

    visit_FunctionDef = _wrap
    visit_AsyncFunctionDef = _wrap


def _exit_status(exc):
    """The status python3 exits with for SystemExit(exc.code)."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xff
    print(code, file=sys.stderr)
    return 1


def _report(exc):
    """Print an uncaught exception as python3 does; its lane failed."""
    tb = exc.__traceback__
    # Our own frames (this module's exec) are not the program's.
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    # The hook prints the exception's own __traceback__, not tb: cut it.
    # Python's report of the error is no work of the program's: uncharged.
    _uncharged(sys.excepthook)(type(exc), exc.with_traceback(tb), tb)
    # After the print, which has the lane run: it ends failed.
    try:
        _loopscope.failed(f'{type(exc).__name__}: {exc}')
    except Exception:
        pass


def _flushing_exit():
    """os._exit ends the process at once: what the program printed and
    its trace reach loopscope first."""
    real = os._exit

    def _exit(status):
        try:
            _loopscope.flush()
        finally:
            real(status)

    _exit.__doc__ = real.__doc__
    os._exit = _exit


_main_thread = _thread.get_ident()
_uncharged_depth = 0


def _uncharged(real):
    """real, wrapped: what it computes on the program's thread costs the
    program no virtual time (the C side: _loopscope.importing)."""
    def call(*args, **kwargs):
        global _uncharged_depth
        if _thread.get_ident() != _main_thread:
            return real(*args, **kwargs)
        _uncharged_depth += 1
        if _uncharged_depth == 1:
            _loopscope.importing(True)
        try:
            return real(*args, **kwargs)
        finally:
            _uncharged_depth -= 1
            if _uncharged_depth == 0:
                _loopscope.importing(False)

    call.__name__ = getattr(real, '__name__', 'call')
    call.__doc__ = getattr(real, '__doc__', None)
    return call


def _uncharged_imports():
    """Loading a module costs the program no virtual time: importlib's
    _load_unlocked, wrapped. Nor does loading CA certificates, when a
    client (httpx, aiohttp) makes its SSL context: setting up, as an
    import is, not the lesson's work."""
    try:
        import ssl
    except ImportError:
        ssl = None

    bootstrap = sys.modules['_frozen_importlib']
    bootstrap._load_unlocked = _uncharged(bootstrap._load_unlocked)
    for name in ('load_verify_locations', 'load_default_certs',
                 'set_default_verify_paths') if ssl else ():
        setattr(ssl.SSLContext, name,
                _uncharged(getattr(ssl.SSLContext, name)))


def _traced_threads():
    """Every thread the program starts (threading, executors, to_thread)
    has a lane: Thread._bootstrap_inner, wrapped, tells when its run
    begins and how it ends (an exception goes to the thread's excepthook
    invoker, which is wrapped to learn it). No frame of ours is in the
    thread's traceback: the wrapper is outside _bootstrap_inner's."""
    import threading

    bootstrap = threading.Thread._bootstrap_inner

    def _bootstrap_inner(self):
        failed = [None]
        invoke = self._invoke_excepthook

        def _invoke_excepthook(thread):
            exc = sys.exc_info()[1]
            if exc is not None:
                failed[0] = f'{type(exc).__name__}: {exc}'
            invoke(thread)

        self._invoke_excepthook = _invoke_excepthook
        _loopscope.thread_begin(self.name)
        try:
            bootstrap(self)
        finally:
            _loopscope.thread_end(failed[0])

    threading.Thread._bootstrap_inner = _bootstrap_inner
    join = threading.Thread.join

    def _join(self, timeout=None):
        # The program's thread waits: its lane is blocked meanwhile.
        if _thread.get_ident() != _main_thread:
            return join(self, timeout)
        _loopscope.joining(True)
        try:
            return join(self, timeout)
        finally:
            _loopscope.joining(False)

    _join.__doc__ = join.__doc__
    threading.Thread.join = _join
    start = threading.Thread.start

    def _start(self):
        # Until it runs, a sleeping thread must not move the clock on.
        _loopscope.starting(True)
        try:
            return start(self)
        finally:
            _loopscope.starting(False)

    _start.__doc__ = start.__doc__
    threading.Thread.start = _start


class _AfterImport:
    """Patch a module once it is imported, if it ever is: importing
    multiprocessing up front would cost every program its start-up."""

    def __init__(self, patches):
        self.patches = patches

    def find_spec(self, name, path=None, target=None):
        patch = self.patches.pop(name, None)
        if patch is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def _exec_module(module):
            exec_module(module)
            patch(module)

        spec.loader.exec_module = _exec_module
        return spec


def _traced_processes():
    """Every process the program starts with multiprocessing (a Process,
    a ProcessPoolExecutor's workers) has a lane, from its start (its pid
    known) to its parent reaping it (Popen.poll: its exit code)."""

    def process(mod):
        start = mod.BaseProcess.start

        def _start(self):
            start(self)
            _loopscope.process_begin(self.pid, self.name)

        _start.__doc__ = start.__doc__
        mod.BaseProcess.start = _start

    def popen_fork(mod):
        poll = mod.Popen.poll

        def _poll(self, flag=os.WNOHANG):
            known = self.returncode
            code = poll(self, flag)
            if known is None and code is not None:
                _loopscope.process_end(self.pid, code)
            return code

        mod.Popen.poll = _poll

    patches = {'multiprocessing.process': process,
               'multiprocessing.popen_fork': popen_fork}
    for name in list(patches):
        if name in sys.modules:
            patches.pop(name)(sys.modules[name])
    sys.meta_path.insert(0, _AfterImport(patches))


def _compile(path, source):
    tree = ast.parse(source, path)
    tree = ast.fix_missing_locations(_Instrument().visit(tree))
    return compile(tree, path, 'exec', dont_inherit=True)


def main(path, cells='all'):
    """Run the program at path (sys.argv is set already); its status.

    A notebook or a percent script runs cell by cell (cells.py): all of
    them, or as cells says ("N": cells 1 to N, only N traced).
    """
    # python3 makes the script's path absolute (cwd joined, not
    # normalised) for __file__, its code and so its tracebacks and
    # warnings; sys.argv[0] keeps it as given.
    path = os.path.join(os.getcwd(), path)
    sys.stdout = sys.__stdout__ = _loopscope.stdout
    sys.stderr = sys.__stderr__ = _loopscope.stderr
    loop.install()
    _uncharged_imports()
    _flushing_exit()
    _traced_threads()
    _traced_processes()
    builtins.__dict__[_TRACE] = _loopscope.trace
    sys.path.insert(0, os.path.dirname(os.path.realpath(path)))
    module = types.ModuleType('__main__')
    module.__file__ = path
    module.__cached__ = None
    module.__loader__ = importlib.machinery.SourceFileLoader('__main__', path)
    module.__builtins__ = builtins
    sys.modules['__main__'] = module
    try:
        book = _loopscope.cells(path)
    except (OSError, ValueError) as exc:
        print(f'loopscope: {exc}', file=sys.stderr)
        _loopscope.finish()
        return 2
    if book is not None:
        from . import cells as _cells
        status = _cells.main(path, module, book, cells)
        _loopscope.finish()
        return status
    _loopscope.start((path, os.path.realpath(path)))
    try:
        with open(path, 'rb') as f:
            source = f.read()
        code = _compile(path, source)
    except SyntaxError as exc:
        # As python3 shows it: file, line, caret; no traceback.
        sys.excepthook(type(exc), exc.with_traceback(None), None)
        _loopscope.finish()
        return 1
    status = 0
    _loopscope.rebase()
    try:
        exec(code, module.__dict__)
    except SystemExit as exc:
        status = _exit_status(exc)
    except KeyboardInterrupt as exc:
        _report(exc)
        status = 130
    except BaseException as exc:
        _report(exc)
        status = 1
    _loopscope.finish()
    return status
