"""Runs a plan's units of work phase by phase in the safe order, each phase on a pool of threads
whose calls the per-API rate limiters pace; journals every change; shows progress (tqdm on a
terminal, a plain line every few seconds otherwise)."""

import sys
import threading
import time

from .apply_changes import READ_BEFORE, ChangeFailed, Stopped, apply_change, verify_change
from .apply_journal import ALREADY, DONE, FAILED, FINAL, PENDING, now_iso
from .apply_plan import PHASES
from .threads import wait_for


class Progress:
    def __init__(self, total, label, stream=sys.stderr):
        self.total, self.label, self.stream = total, label, stream
        self.count, self.lock = 0, threading.Lock()
        self.bar = None
        self.last_line = time.monotonic()
        if stream.isatty():
            try:
                import tqdm
                self.bar = tqdm.tqdm(total=total, desc=label, unit="change", file=stream, smoothing=0.05)
            except ImportError:
                pass

    def advance(self):
        with self.lock:
            self.count += 1
            if self.bar is not None:
                self.bar.update(1)
            elif time.monotonic() - self.last_line >= 5 or self.count == self.total:
                self.last_line = time.monotonic()
                print(f"fleetaudit-apply: {self.label}: {self.count}/{self.total}", file=self.stream, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def estimate_seconds(units, tps):
    """Phases run one after another; within a phase each API is bound by its own quota, so the
    phase lasts as long as its busiest API needs."""
    total = 0.0
    for phase in range(len(PHASES)):
        calls = {}
        for unit_phase, changes in units:
            if unit_phase != phase:
                continue
            for change in changes:
                for operation in [change.operation] + READ_BEFORE[change.operation]:
                    calls[operation] = calls.get(operation, 0) + 1
        total += max((count / tps[operation] for operation, count in calls.items()), default=0.0)
    return total


def clock(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def run_pool(items, work, concurrency, progress_total, label):
    """Calls work(item) for every item on `concurrency` threads. A Stopped raised by any call stops
    the others before their next item; Ctrl-C does the same. Returns the Stopped (or
    KeyboardInterrupt) that stopped the run, or None."""
    iterator, lock = iter(items), threading.Lock()
    stop = {"why": None}
    progress = Progress(progress_total, label)

    def worker():
        while stop["why"] is None:
            with lock:
                item = next(iterator, None)
            if item is None:
                return
            try:
                for _ in range(work(item)):
                    progress.advance()
            except Stopped as stopped:
                stop["why"] = stopped
            except Exception as error:  # a bug must stop the run, not vanish with its thread
                stop["why"] = error

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, concurrency))]
    for thread in threads:
        thread.start()
    try:
        wait_for(threads)
    except KeyboardInterrupt as interrupt:
        stop["why"] = interrupt
        for thread in threads:
            thread.join(60)  # calls in flight finish and are journaled
    progress.close()
    return stop["why"]


class Applier:
    """Applies units of changes, journaling each change, skipping what `states` (the journal of
    earlier runs) says is done, and not starting an execution an earlier failed action of the same
    finding cancels."""

    def __init__(self, plan, calls, journal, states, selected):
        self.plan, self.calls, self.journal, self.states = plan, calls, journal, states
        self.selected = selected  # change id -> True for the changes this run makes
        self.lock = threading.Lock()
        self.cancels = canceling_failures(plan)

    def record(self, change, state, **fields):
        record = {"change": change.id, "state": state, **fields}
        self.journal.append(record)
        with self.lock:
            self.states[change.id] = record

    def canceled(self, change):
        with self.lock:
            return self.cancels(change.execution, self.states) is not None

    def work(self, unit):
        """Makes the unit's changes in order; returns how many it went through."""
        _, changes = unit
        failed_executions = set()
        for change in changes:
            if change.execution in failed_executions or self.canceled(change):
                continue
            started = now_iso()
            self.record(change, PENDING, startTime=started)
            try:
                state, note = apply_change(self.calls, change)
            except (ChangeFailed, KeyError, TypeError, AttributeError, ValueError) as error:
                # An answer botocore parsed but that lacks what the model promises fails this change only.
                code, message = (error.code, error.message) if isinstance(error, ChangeFailed) else (
                    "UnexpectedResponse", f"AWS's answer was not as documented: {type(error).__name__}: {error}")
                self.record(change, FAILED, startTime=started, endTime=now_iso(), errorCode=str(code)[:128],
                            message=str(message)[:2048])
                failed_executions.add(change.execution)  # a policy's later steps need this one
                continue
            self.record(change, state, startTime=started, endTime=now_iso(), note=note)
        return len(changes)

    def todo(self, units):
        """The units (and the part of each) this run has to make."""
        chosen = []
        for phase, changes in units:
            left = [c for c in changes if self.selected.get(c.id) and
                    (self.states.get(c.id) or {}).get("state") not in FINAL]
            if left:
                chosen.append((phase, left))
        return chosen

    def run(self, units, concurrency):
        todo = self.todo(units)
        total = sum(len(changes) for _, changes in todo)
        for phase in range(len(PHASES)):
            phase_units = [unit for unit in todo if unit[0] == phase]
            if not phase_units:
                continue
            count = sum(len(changes) for _, changes in phase_units)
            why = run_pool(phase_units, self.work, concurrency, count, f"{PHASES[phase]} ({count} of {total})")
            if why is not None:
                return why
        return None


def canceling_failures(plan):
    """A function (execution index, states) -> the earlier execution of the same finding that
    FAILED and so cancels this one (AWS stops a finding's actions at the first failure), or None."""
    earlier = {}
    by_finding = {}
    for index, execution in enumerate(plan.executions):
        earlier[index] = list(by_finding.get(execution.finding_id, []))
        by_finding.setdefault(execution.finding_id, []).append(index)

    def cancels(index, states):
        for previous in earlier[index]:
            if any((states.get(c.id) or {}).get("state") == FAILED for c in plan.executions[previous].changes):
                return previous
        return None
    return cancels


def verify(plan, calls, states, selected, concurrency):
    """Re-reads every selected change's resource. Returns ([(change, problem)], unverifiable, why
    stopped or None). SNS messages cannot be read back: the journal's word is taken, and said so."""
    problems, unverifiable, lock = [], [], threading.Lock()

    def work(change):
        if change.operation == "Publish":
            state = (states.get(change.id) or {}).get("state")
            with lock:
                if state in (DONE, ALREADY):
                    unverifiable.append(change)
                else:
                    problems.append((change, "the journal has no record of this message being sent"))
            return 1
        try:
            problem = verify_change(calls, change)
        except ChangeFailed as error:
            problem = f"could not read it back: {error.code}: {error.message}"
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            problem = f"could not read it back: AWS's answer was not as documented: {type(error).__name__}: {error}"
        if problem:
            with lock:
                problems.append((change, problem))
        return 1

    changes = [change for change in plan.changes() if selected.get(change.id)]
    why = run_pool(changes, work, concurrency, len(changes), "verify")
    problems.sort(key=lambda item: [int(part) for part in item[0].id.split(".")])
    return problems, unverifiable, why
