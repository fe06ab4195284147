"""loopscope's event loop, as asyncio sees it.

Loop puts the C core (_loopscope.LoopCore: call_soon, call_at, time,
_run_once on libev) first in its bases and asyncio's own selector loop
after it, so that asyncio's sockets, transports, TLS, signals and
subprocesses are inherited, as uvloop does with libuv. The selector it
hands to them keeps books only: registrations become libev watchers.
"""

import asyncio
import logging
import queue
import selectors
import socket
from asyncio import base_events, format_helpers, unix_events
from concurrent.futures import thread as _futures_thread

import _loopscope

__all__ = ['Loop', 'EventLoopPolicy', 'install']

logger = logging.getLogger('asyncio')


class _Selector(selectors._BaseSelectorImpl):
    """A selector whose registrations are the loop's libev watchers."""

    def __init__(self, core):
        super().__init__()
        self._core = core

    def register(self, fileobj, events, data=None):
        key = super().register(fileobj, events, data)
        self._core._io_set(key.fd, events)
        return key

    def unregister(self, fileobj):
        key = super().unregister(fileobj)
        self._core._io_set(key.fd, 0)
        return key

    def select(self, timeout=None):
        return []

    def close(self):
        for key in list(self._fd_to_key.values()):
            self._core._io_set(key.fd, 0)
        super().close()
        self._core = None


class Loop(_loopscope.LoopCore, unix_events._UnixSelectorEventLoop):
    """asyncio's event loop, run by loopscope's C core on libev."""

    def __init__(self, selector=None):
        super().__init__(_Selector(self))

    def _make_self_pipe(self):
        # asyncio's own, with the self-pipe named to the core first: it
        # is no real work the simulated clock waits for.
        self._ssock, self._csock = socket.socketpair()
        self._ssock.setblocking(False)
        self._csock.setblocking(False)
        self._internal_fds += 1
        self._ls_self_fd(self._ssock.fileno())
        self._add_reader(self._ssock.fileno(), self._read_from_self)

    def _ls_events(self, fired):
        selector = self._selector
        if selector is None:
            return
        keys = selector._fd_to_key
        self._process_events([(keys[fd], mask) for fd, mask in fired
                              if fd in keys])

    def _ls_callback_error(self, handle, callback, args, exc):
        # events.Handle._run's words, for a callback run by the core.
        cb = format_helpers._format_callback_source(callback, args)
        context = {
            'message': f'Exception in callback {cb}',
            'exception': exc,
            'handle': handle,
        }
        if handle._source_traceback:
            context['source_traceback'] = handle._source_traceback
        self.call_exception_handler(context)

    def _ls_run_debug(self, handle):
        # The debug branch of asyncio's _run_once, for one handle.
        try:
            self._current_handle = handle
            t0 = self.time()
            handle._run()
            dt = self.time() - t0
            if dt >= self.slow_callback_duration:
                logger.warning('Executing %s took %.3f seconds',
                               base_events._format_handle(handle), dt)
        finally:
            self._current_handle = None

    def close(self):
        super().close()
        self._ls_clear()


class EventLoopPolicy(unix_events._UnixDefaultEventLoopPolicy):
    """asyncio's default policy, making loopscope's loops."""

    _loop_factory = Loop


class _WorkQueue:
    """An executor's queue of work that tells loopscope's clock how many
    of its workers are idle (_loopscope.workers): an idle worker is no
    work the simulated clock waits for. Work counts when it is queued,
    before a worker wakes for it; and each work's place in the order
    work was given goes with it (_loopscope.ticket): workers released at
    one instant go on in that order."""

    _tickets = 0

    def __init__(self):
        self._queue = queue.SimpleQueue()

    def put(self, item, block=True, timeout=None):
        # None wakes a worker to leave (shutdown, and each leaving one
        # passes it on): no work, not counted.
        if item is not None:
            _WorkQueue._tickets += 1
            _loopscope.workers(-1)
        self._queue.put((_WorkQueue._tickets, item))

    def put_nowait(self, item):
        self.put(item)

    def get(self, block=True, timeout=None):
        _loopscope.workers(1)
        try:
            ticket, item = self._queue.get(block, timeout)
        except queue.Empty:
            _loopscope.workers(-1)
            raise
        if item is None:
            # The worker leaves: it is no longer an idle one.
            _loopscope.workers(-1)
            return item
        _loopscope.ticket(ticket)
        return item

    def get_nowait(self):
        return self.get(False)

    def empty(self):
        return self._queue.empty()

    def qsize(self):
        return self._queue.qsize()


_executor_init = _futures_thread.ThreadPoolExecutor.__init__


def _executor_init_counted(self, *args, **kwargs):
    _executor_init(self, *args, **kwargs)
    self._work_queue = _WorkQueue()


def install():
    """Make loopscope's loop the one asyncio makes, for good.

    asyncio.set_event_loop_policy(None) (as CPython's own tests do between
    modules) makes a new default policy: that is loopscope's too.
    """
    unix_events._UnixDefaultEventLoopPolicy._loop_factory = Loop
    _futures_thread.ThreadPoolExecutor.__init__ = _executor_init_counted
    asyncio.DefaultEventLoopPolicy = EventLoopPolicy
    unix_events.DefaultEventLoopPolicy = EventLoopPolicy
    asyncio.set_event_loop_policy(EventLoopPolicy())
