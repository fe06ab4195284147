"""loopscope's Python side: its event loop class and the program runner.

The hot path is C (the _loopscope module built into loopscope); what is
here is only where CPython's own API is Python.
"""
