"""Waiting for worker threads from the main thread."""


def wait_for(threads):
    """Waits for every thread in short joins: a plain join() would hold Ctrl-C (KeyboardInterrupt) off until the
    thread ends, and the callers must hear it at once to stop their workers."""
    for thread in threads:
        while thread.is_alive():
            thread.join(0.2)
