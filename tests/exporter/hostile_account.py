"""Hostile answers for the exporter tests: what a broken or hostile endpoint may send that AWS
never does. An account whose listings hand out pagination tokens that repeat ("SAME" for ever, or
a cycle A, B, A) and whose names hold control characters; and a stub whose answers to chosen
operations stall (nothing sent) or trickle (a byte at a time, never silent long enough for a read
timeout). Kept apart from aws_stub.py and account.py, which model what AWS does."""

import threading

from account import Account
from aws_stub import Stub

# Each listing's input and output token members, as botocore's models name them.
TOKENS = {"ListThings": ("nextToken", "nextToken"), "ListCertificates": ("marker", "nextMarker"),
          "ListPolicies": ("marker", "nextMarker"), "ListThingGroups": ("nextToken", "nextToken")}


class HostileAccount(Account):
    """`base`'s state, with `tokens`: {operation: [token, ...]}, the next tokens its successive
    pages hand out in place of the real ones (the last one again after the list ends), so ["SAME"]
    repeats one token for ever and ["A", "B", "A"] goes round a cycle. A page asked for with a
    token is the page after the first one that handed it out."""

    def __init__(self, base, tokens=None):
        self.__dict__.update(base.__dict__)
        self.tokens = dict(tokens or {})
        for operation in self.tokens:
            setattr(self, operation, self._scripted(operation, getattr(super(), operation)))

    def _scripted(self, operation, real):
        script = self.tokens[operation]
        input_name, output_name = TOKENS[operation]

        def answer(params, size):
            token = params.get(input_name)
            index = 0 if token is None else script.index(token) + 1
            real_params = dict(params)
            real_params.pop(input_name, None)
            if index:
                real_params[input_name] = str(index * size)  # the real page of that index
            response = real(real_params, size)
            response[output_name] = script[min(index, len(script) - 1)]
            return response
        return answer


def rename(items, key, index, new_name):
    """Gives the `index`th record of `items` (a list of dicts) the name `new_name`."""
    items[index] = {**items[index], key: new_name}


class HostileStub(Stub):
    """A Stub whose answers to the operations in `stall` wait (sending nothing) until the stub
    stops, and to those in `trickle` send their body one byte each `trickle_interval` seconds:
    a read timeout never fires, only a total deadline ends the call. Either ends when the stub
    stops, so a test's teardown never waits on them."""

    def __init__(self, account, stall=(), trickle=(), trickle_interval=0.2, **knobs):
        self.stall, self.trickle, self.trickle_interval = set(stall), set(trickle), trickle_interval
        self.stop = threading.Event()
        self.stalled = 0
        super().__init__(account, **knobs)

    def handle(self, request):
        service, operation, response = super().handle(request)
        request.trickle = operation in self.trickle
        if operation in self.stall:
            with self.lock:
                self.stalled += 1
            self.stop.wait(600)
        return service, operation, response

    def __exit__(self, *exc):
        self.stop.set()
        super().__exit__(*exc)

    def _handler_class(self):
        stub = self

        class Handler(super()._handler_class()):
            def end_headers(self):
                super().end_headers()
                if getattr(self, "trickle", False):
                    self.close_connection = True
                    self.wfile = Trickle(self.wfile, stub)

        return Handler


class Trickle:
    """A response body writer that sends one byte at a time, until the stub stops."""

    def __init__(self, inner, stub):
        self.inner, self.stub = inner, stub

    def write(self, data):
        for offset in range(len(data)):
            if self.stub.stop.wait(self.stub.trickle_interval):
                raise ConnectionAbortedError("the stub stopped")
            self.inner.write(data[offset:offset + 1])
        return len(data)

    def flush(self):
        self.inner.flush()
