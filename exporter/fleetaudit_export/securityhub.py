"""fleetaudit-publish securityhub: imports an ASFF file with BatchImportFindings in the batches
Security Hub accepts, within its rate, resumably: a journal beside the input records which
batches were imported, so that an interrupted import continues where it stopped and sends each
finding once. Findings Security Hub refuses are reported one by one (FailedFindings)."""

import json
import os
import signal
import sys
import time

from .asff import Survey, batches
from .calls import CallFailed
from .export import Progress, UsageError
from .inputs import SHOWN_ID_CHARACTERS, InputError, printable
from .jsonout import write_json_file

# Security Hub allows 10 BatchImportFindings calls a second per account and region. Calls leave
# 1/9 s apart: eleven calls span 1.11 s when sent, so one of them must be held up by over 110 ms
# on its way for AWS, which counts arrivals, to see eleven in one second.
IMPORT_TPS = 9
JOURNAL_SUFFIX = ".fleetaudit-publish.json"
PLAIN_PROGRESS_SECONDS = 10


class Journal:
    """Which batches of one input file were imported, beside the file (written atomically after
    every batch). `inFlight` names the batch being sent: after a kill -9 it may or may not have
    reached Security Hub, and is sent again (Security Hub updates a finding with the same Id and
    ProductArn rather than adding a second one)."""

    def __init__(self, input_path):
        self.path = input_path + JOURNAL_SUFFIX
        self.data = {}

    def exists(self):
        return os.path.exists(self.path)

    def load(self):
        try:
            with open(self.path, encoding="utf-8") as file:
                self.data = json.load(file)
            int(self.data["nextFinding"]), int(self.data["imported"]), int(self.data["failed"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise UsageError(f"{self.path}: not a journal this program can continue: {printable(error)}") from None

    def start(self, survey, region):
        self.data = {"input": os.path.basename(survey.path), "sha256": survey.sha256, "region": region,
                     "findings": survey.findings, "batches": survey.batches, "nextFinding": 0, "batchesDone": 0,
                     "inFlight": None, "imported": 0, "failed": 0}
        self.save()

    def save(self):
        write_json_file(self.path, self.data)

    def sending(self, first_finding):
        self.data["inFlight"] = first_finding
        self.save()

    def answered(self, next_finding, imported, failed):
        self.data.update(nextFinding=next_finding, inFlight=None, batchesDone=self.data["batchesDone"] + 1,
                         imported=self.data["imported"] + imported, failed=self.data["failed"] + failed)
        self.save()

    def refused(self):
        """The batch in flight was answered with an error: Security Hub imported none of it."""
        self.data["inFlight"] = None
        self.save()

    def remove(self):
        os.remove(self.path)


def open_journal(path, resume, survey, region):
    journal = Journal(path)
    if not resume:
        if journal.exists():
            raise UsageError(f"{journal.path} records an unfinished import of {path}: continue it with --resume "
                             "(or delete the journal to import everything again)")
        journal.start(survey, region)
        return journal
    if not journal.exists():
        raise UsageError(f"no unfinished import of {path} to resume (no {journal.path})")
    journal.load()
    if journal.data.get("sha256") != survey.sha256:
        raise UsageError(f"{path} changed since the import recorded in {journal.path} began: delete the journal "
                         "to import the new file from the start")
    if journal.data.get("region") != region:
        raise UsageError(f"the unfinished import of {path} went to {printable(journal.data.get('region'))}, "
                         f"not {region}")
    return journal


def surveyed(path, region):
    """The first pass: refuses a file with any bad finding before a single call is made."""
    survey = Survey(path)
    if survey.problem_count:
        more = survey.problem_count - len(survey.problems)
        raise InputError("\n".join(f"{path}: {problem}" for problem in survey.problems)
                         + (f"\n{path}: and {more:,} more problems" if more > 0 else "")
                         + f"\n{path}: nothing was imported")
    others = sorted(survey.regions - {region})
    if others:
        raise InputError(f"{path}: findings for {', '.join(printable(r) for r in others)} (their ProductArn), "
                         f"but the import goes to {region}: give --region")
    return survey


class StopRequest:
    """SIGINT and SIGTERM (Ctrl-C, cron or systemd stopping the job) let the batch in flight
    finish and its answer reach the journal, then stop; a second signal stops at once."""

    def __init__(self):
        self.requested = False
        self.previous = {}

    def __enter__(self):
        for number in (signal.SIGINT, signal.SIGTERM):
            self.previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc):
        for number, handler in self.previous.items():
            signal.signal(number, handler)

    def _handle(self, number, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True


class PlainProgress:
    """Progress as a line every PLAIN_PROGRESS_SECONDS (and one at the end) when standard error
    is not a terminal: a cron mail or CI log stays short."""

    def __init__(self, total, initial):
        self.total, self.done, self.last = total, initial, time.monotonic()

    def update(self, count):
        self.done += count
        if time.monotonic() - self.last >= PLAIN_PROGRESS_SECONDS:
            self.print()

    def print(self):
        self.last = time.monotonic()
        print(f"fleetaudit-publish: {self.done:,}/{self.total:,} findings sent", file=sys.stderr, flush=True)

    def close(self):
        self.print()


def progress_bar(journal):
    """A tqdm bar when standard error is a terminal (and tqdm is installed), plain lines otherwise."""
    total, initial = journal.data["findings"], journal.data["nextFinding"]
    progress = Progress(sys.stderr.isatty())
    if progress.enabled:
        return progress.bar("findings", total, initial)
    return PlainProgress(total, initial)


def report_failures(response):
    """Prints each finding Security Hub refused; returns how many."""
    failed = response.get("FailedFindings") or []
    for failure in failed:
        name = printable(failure.get("Id", ""), SHOWN_ID_CHARACTERS)
        print(f"fleetaudit-publish: finding \"{name}\" was not imported: {printable(failure.get('ErrorCode', ''))}: "
              f"{printable(failure.get('ErrorMessage', ''))}", file=sys.stderr)
    return len(failed)


def refused_whole(error):
    """Whether Security Hub answered with a client error (4xx, throttling after every retry
    included): it imported none of the batch. After a 5xx or a lost connection nobody knows, and
    the batch stays in flight in the journal, to be sent again."""
    response = getattr(error.__cause__, "response", None) or {}
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return 400 <= status < 500


def send_batches(calls, path, journal, stop):
    """Sends the batches not yet imported; returns a reason to stop early, or None when all were sent."""
    bar = progress_bar(journal)
    try:
        for first, batch in batches(path, journal.data["nextFinding"]):
            if stop.requested:
                return "interrupted"
            journal.sending(first)
            try:
                response = calls.call("securityhub", "BatchImportFindings", Findings=batch)
            except CallFailed as error:
                if refused_whole(error):
                    journal.refused()
                return str(error)
            failed = report_failures(response)
            journal.answered(first + len(batch), len(batch) - failed, failed)
            bar.update(len(batch))
        return None
    finally:
        bar.close()


def import_findings(calls, path, resume):
    """Returns the exit status: 0 every finding imported, 1 some were not (or a call failed),
    130 interrupted; raises InputError or UsageError (status 2) before any call."""
    survey = surveyed(path, calls.region)
    journal = open_journal(path, resume, survey, calls.region)
    if journal.data["inFlight"] is not None:
        print(f"fleetaudit-publish: the batch starting at $.Findings[{journal.data['inFlight']}] was being sent "
              "when the last run stopped; sending it again (Security Hub updates findings with the same Id)",
              file=sys.stderr)
    with StopRequest() as stop:
        stopped = send_batches(calls, path, journal, stop)
    data = journal.data
    summary = (f"{data['imported']:,} of {data['findings']:,} findings imported into Security Hub "
               f"({calls.region}) in {data['batches']:,} batches; {data['failed']:,} failed")
    if stopped is not None:
        print(f"fleetaudit-publish: {'error: ' if stopped != 'interrupted' else ''}{printable(str(stopped))}", file=sys.stderr)
        print(f"fleetaudit-publish: stopped after {data['nextFinding']:,} of {data['findings']:,} findings; "
              f"run the same command with --resume to continue", file=sys.stderr)
        return 130 if stopped == "interrupted" else 1
    journal.remove()
    print(summary)
    return 1 if data["failed"] else 0
