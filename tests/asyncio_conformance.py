"""CPython's own event loop tests against loopscope's loop.

Run as `loopscope --python tests/asyncio_conformance.py loopscope`, and
as `python3 tests/asyncio_conformance.py asyncio` for asyncio's own loop:
the test classes of CPython's test_asyncio that
take a loop from create_event_loop() (test_events, test_sock_lowlevel,
test_sendfile, test_subprocess) are subclassed here with that loop, so
that both loops run the very same tests in the same harness. The rest of
the suite runs against loopscope's loop as the default policy's loop
(`loopscope --python -m unittest test.test_asyncio`).
"""

import asyncio
import selectors
import sys
import unittest

from test.test_asyncio import test_events, test_sendfile
from test.test_asyncio import test_sock_lowlevel, test_subprocess
from test.test_asyncio import utils as test_utils

WHICH = sys.argv[1] if len(sys.argv) > 1 else 'loopscope'


def make_loop():
    if WHICH == 'asyncio':
        return asyncio.SelectorEventLoop(selectors.EpollSelector())
    from loopscope.loop import Loop
    return Loop()


class EventLoopTests(test_events.UnixEventLoopTestsMixin,
                     test_events.SubprocessTestsMixin,
                     test_utils.TestCase):

    def create_event_loop(self):
        return make_loop()


class SockTests(test_sock_lowlevel.BaseSockTestsMixin, test_utils.TestCase):

    def create_event_loop(self):
        return make_loop()


class SendfileTests(test_sendfile.SendfileTestsBase, test_utils.TestCase):

    def create_event_loop(self):
        return make_loop()


class SubprocessTests(test_subprocess.SubprocessWatcherMixin,
                      test_utils.TestCase):

    Watcher = asyncio.ThreadedChildWatcher

    def create_event_loop(self):
        return make_loop()


def load_tests(loader, tests, pattern):
    suite = unittest.TestSuite()
    for cls in (EventLoopTests, SockTests, SendfileTests, SubprocessTests):
        suite.addTests(loader.loadTestsFromTestCase(cls))
    return suite


if __name__ == '__main__':
    unittest.main(argv=sys.argv[:1])
