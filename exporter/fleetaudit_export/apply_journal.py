"""The files fleetaudit-apply keeps beside a plan: the approval its dry run records (the plan's
sha256 and the clocks), and the journal of every change's state, JSON Lines appended as changes
happen and fsync'd in batches, from which --resume and the report read."""

import datetime
import json
import os
import threading
import time

# A change's states in the journal. "already" is "skipped: already in the target state".
PENDING, DONE, ALREADY, FAILED = "pending", "done", "already", "failed"
FINAL = {DONE, ALREADY}

FSYNC_EVERY_RECORDS = 500
FSYNC_EVERY_SECONDS = 1.0


def approval_path(plan_path):
    return plan_path + ".approval.json"


def journal_path(plan_path):
    return plan_path + ".journal.jsonl"


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


def parse_iso(text):
    """An ISO 8601 instant (with Z or an offset), or None."""
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return moment if moment.tzinfo else None


def write_atomically(path, text):
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def record_approval(plan):
    """What the dry run records: the plan as reviewed, and when."""
    approval = {"plan": os.path.basename(plan.path), "planSha256": plan.sha256, "dryRunAt": now_iso(),
                "taskId": plan.task_id, "accountId": plan.account_id, "region": plan.region,
                "snapshotExportedAt": plan.snapshot_exported_at, "changes": len(plan.changes())}
    write_atomically(approval_path(plan.path), json.dumps(approval, indent=2) + "\n")
    return approval


def refusal(plan, max_age_seconds, now=None):
    """Why a real run must not apply this plan, or None: no dry run, edited since, or too old."""
    path = approval_path(plan.path)
    try:
        with open(path, encoding="utf-8") as file:
            approval = json.load(file)
    except FileNotFoundError:
        return f"the plan has had no dry run: review it with `fleetaudit-apply --dry-run {plan.path}` first"
    except (OSError, ValueError) as error:
        return f"{path} is unreadable ({error}): run the dry run again"
    if not isinstance(approval, dict) or approval.get("planSha256") != plan.sha256:
        return (f"the plan was changed after its dry run (sha256 {plan.sha256}, the dry run saw "
                f"{str(approval.get('planSha256') if isinstance(approval, dict) else None)[:64]}): review it again "
                "with --dry-run")
    if max_age_seconds is not None:
        taken = parse_iso(plan.snapshot_exported_at)
        if taken is None:
            return "the plan does not say when its snapshot was taken (snapshotExportedAt), so --max-plan-age " \
                   "cannot be checked: plan again from a snapshot with manifest.exportedAt"
        age = ((now or datetime.datetime.now(datetime.timezone.utc)) - taken).total_seconds()
        if age > max_age_seconds:
            return (f"the plan's snapshot was taken at {plan.snapshot_exported_at}, {age / 3600:.1f} hours ago, "
                    f"more than --max-plan-age ({max_age_seconds / 3600:.1f} hours): export the account again and "
                    "plan from the new snapshot")
    return None


class Journal:
    """Appends one JSON object per line. Each record reaches the kernel at once (a killed process
    loses nothing it wrote); fsync, which a power cut needs, runs every FSYNC_EVERY_RECORDS records
    or FSYNC_EVERY_SECONDS, and at close."""

    def __init__(self, path):
        self.path = path
        self.file = open(path, "a", encoding="utf-8")
        self.lock = threading.Lock()
        self.unsynced = 0
        self.last_sync = time.monotonic()

    def append(self, record):
        line = json.dumps(record, separators=(",", ":"), ensure_ascii=True) + "\n"
        with self.lock:
            self.file.write(line)
            self.file.flush()
            self.unsynced += 1
            if self.unsynced >= FSYNC_EVERY_RECORDS or time.monotonic() - self.last_sync >= FSYNC_EVERY_SECONDS:
                self._sync()

    def _sync(self):
        os.fsync(self.file.fileno())
        self.unsynced = 0
        self.last_sync = time.monotonic()

    def close(self):
        with self.lock:
            self.file.flush()
            self._sync()
            self.file.close()


def read_journal(path):
    """(the latest record of each change by id, run records, problems). A line cut short by a kill
    is reported and ignored; so is anything that is not a journal record."""
    latest, runs, problems = {}, [], []
    try:
        file = open(path, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return latest, runs, problems
    with file:
        for number, line in enumerate(file, 1):
            try:
                record = json.loads(line)
            except ValueError:
                problems.append(f"{path}:{number}: not a whole JSON record (a run killed while writing?): ignored")
                continue
            if not isinstance(record, dict):
                problems.append(f"{path}:{number}: not a journal record: ignored")
            elif "run" in record:
                runs.append(record)
            elif isinstance(record.get("change"), str) and record.get("state") in (PENDING, DONE, ALREADY, FAILED):
                previous = latest.get(record["change"])
                # A change keeps the time it first started, across runs.
                if previous and "startTime" in previous and record["state"] != PENDING:
                    record.setdefault("startTime", previous["startTime"])
                latest[record["change"]] = record
            else:
                problems.append(f"{path}:{number}: not a journal record: ignored")
    return latest, runs, problems
