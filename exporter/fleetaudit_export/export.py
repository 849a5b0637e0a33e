"""Runs the stages (all whose inputs are ready at once, each API within its own rate limit),
writes the manifest, and turns failures into an honest, resumable, incomplete snapshot."""

import datetime
import math
import os
import shutil
import sys
import threading

from . import __version__
from .calls import AccessDenied, CallFailed
from .terminal import printable
from .jsonout import write_json_file
from .state import State, STATE_DIR
from .stages import stages, LOG_FILE
from .threads import wait_for


class Cancelled(Exception):
    """Another stage failed or the user interrupted: stop at the next checkpoint."""


class UsageError(Exception):
    pass


def selectable_files():
    return [name for stage in stages() for name in stage.files]


class Progress:
    """One tqdm bar per stage on standard error; nothing when standard error is not a terminal."""

    def __init__(self, enabled):
        self.enabled, self.position, self.lock = enabled, 0, threading.Lock()
        if enabled:
            try:
                import tqdm
                self.tqdm = tqdm.tqdm
            except ImportError:
                self.enabled = False

    def bar(self, name, total, initial):
        if not self.enabled:
            return Quiet()
        with self.lock:
            position, self.position = self.position, self.position + 1
        return self.tqdm(total=total, initial=initial, desc=name, unit=" records" if total is None else " items",
                         position=position, leave=True, dynamic_ncols=True, file=sys.stderr)


class Quiet:
    def update(self, _):
        pass

    def close(self):
        pass


class Context:
    Cancelled = Cancelled
    Failed = CallFailed

    def __init__(self, calls, state, out_dir, log_days, started, progress):
        self.calls, self.state, self.out_dir, self.log_days, self.started = calls, state, out_dir, log_days, started
        self.cancel = threading.Event()
        self.progress_bars = progress
        self.errors = []
        self.vanished = {}
        self.lock = threading.Lock()

    def progress(self, stage, total, initial):
        return self.progress_bars.bar(stage, total, initial)

    def note_vanished(self, stage, item):
        with self.lock:
            self.vanished[stage] = self.vanished.get(stage, 0) + 1

    def fail(self, message):
        with self.lock:
            self.errors.append(message)
        self.cancel.set()


def iso_utc(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_manifest(ctx, complete, errors=(), reasons=None):
    """manifest.json. An unfinished export (complete false) lists every file of the format that
    is not in OUT_DIR, beyond those skipped, with why: `missingFiles` for those of which nothing
    was fetched, `partialFiles` for those whose records so far are kept in .fleetaudit-export/ for
    --resume (a file reaches OUT_DIR only whole, so neither is in the snapshot)."""
    data = ctx.state.data
    manifest = {
        "formatVersion": 1,
        "exportedAt": data["exportedAt"],
        "accountId": data["accountId"],
        "region": data["region"],
        "exporter": {"name": "fleetaudit-export", "version": __version__},
        "complete": complete,
        # Sorted: stages run on several threads, and the same account must give the same manifest.
        "skipped": [{"file": entry["file"], "reason": entry["reason"]}
                    for entry in sorted(data["skipped"], key=lambda entry: entry["file"])],
    }
    if not complete:
        manifest["missingFiles"], manifest["partialFiles"] = unfinished_files(ctx, errors, reasons or {})
    if ctx.vanished:
        manifest["deletedDuringExport"] = dict(sorted(ctx.vanished.items()))
    if errors:
        manifest["error"] = errors[0]
        manifest["errors"] = list(errors)
    elif not complete:
        manifest["error"] = UNDER_WAY
    write_json_file(os.path.join(ctx.out_dir, "manifest.json"), manifest)
    return manifest


UNDER_WAY = "the export is under way (or was killed: continue with --resume)"


def unfinished_files(ctx, errors, reasons):
    """(missing, partial): the files of the stages not done and not skipped, each with a reason."""
    skipped = {entry["file"] for entry in ctx.state.data["skipped"]}
    missing, partial = [], []
    for stage in stages():
        if ctx.state.status(stage.name) == "done":
            continue
        for name in stage.files:
            if name in skipped:
                continue
            reason = reasons.get(stage.name) or (f"not finished: the export stopped ({errors[0]})" if errors
                                                 else UNDER_WAY)
            records = records_kept(ctx.state.checkpoint(stage.name))
            if records:
                partial.append({"file": name, "reason": reason, "recordsKept": records})
            else:
                missing.append({"file": name, "reason": reason})
    return missing, partial


def records_kept(checkpoint):
    """Records a stage has fetched and kept for --resume, from its checkpoint."""
    if not checkpoint:
        return 0
    return checkpoint.get("count") or checkpoint.get("lines") or 0


def run_stages(ctx, chosen):
    """One thread per stage; a stage starts when the stages it needs are done."""
    all_stages = stages()
    finished = {stage.name: threading.Event() for stage in all_stages}
    outcome, reasons = {}, {}

    def run(stage):
        try:
            for need in stage.needs:
                finished[need].wait()
            missing = [need for need in stage.needs if outcome.get(need) != "done"]
            if stage.name not in chosen:
                outcome[stage.name] = "skipped"
                reasons[stage.name] = chosen.get("__reason__", {}).get(stage.name, "not exported")
            elif missing:
                outcome[stage.name] = outcome[missing[0]] if outcome[missing[0]] != "done" else "failed"
                if outcome[stage.name] == "skipped":
                    reasons[stage.name] = reasons[missing[0]]
                    if not ctx.state.done(stage.name):
                        ctx.state.skip(stage.name, stage.files, reasons[stage.name])
                else:
                    reasons[stage.name] = f"not exported: it needs {missing[0]}, which did not finish"
            elif ctx.state.status(stage.name) == "done":
                outcome[stage.name] = "done"
            elif ctx.cancel.is_set():
                outcome[stage.name] = "failed"
                reasons[stage.name] = "not started: the export stopped at the first failure"
            else:
                stage.run(ctx)
                outcome[stage.name] = ctx.state.status(stage.name) or "done"
                if outcome[stage.name] == "skipped":
                    reasons[stage.name] = next(e["reason"] for e in reversed(ctx.state.data["skipped"])
                                               if e["file"] in stage.files)
        except AccessDenied as denied:
            outcome[stage.name], reasons[stage.name] = "skipped", str(denied)
            ctx.state.skip(stage.name, stage.files, str(denied))
        except Cancelled:
            outcome[stage.name] = "failed"
            reasons[stage.name] = "not finished: the export stopped at the first failure"
        except CallFailed as error:
            outcome[stage.name], reasons[stage.name] = "failed", str(error)
            ctx.fail(str(error))
        except Exception as error:  # a bug or an I/O error: still name the stage
            outcome[stage.name] = "failed"
            reasons[stage.name] = f"{stage.name}: {type(error).__name__}: {error}"
            ctx.fail(reasons[stage.name])
        finally:
            finished[stage.name].set()

    threads = [threading.Thread(target=run, args=(stage,), name=stage.name, daemon=True) for stage in all_stages]
    for thread in threads:
        thread.start()
    try:
        wait_for(threads)
    except KeyboardInterrupt:
        ctx.fail("interrupted (Ctrl-C); continue with --resume")
        for thread in threads:
            thread.join()
    return reasons


def prepare_directory(out_dir, resume):
    state = State(out_dir)
    if resume:
        if not state.exists():
            if os.path.exists(os.path.join(out_dir, "manifest.json")):
                raise UsageError(f"{out_dir} holds a finished export: nothing to resume")
            raise UsageError(f"{out_dir} holds no unfinished export to resume (no {STATE_DIR}/state.json)")
        state.load()
        return state
    if state.exists():
        raise UsageError(f"{out_dir} holds an unfinished export: continue it with --resume, or choose another directory")
    if os.path.isdir(out_dir) and os.listdir(out_dir):
        raise UsageError(f"{out_dir} is not empty: choose a new or empty directory")
    os.makedirs(out_dir, exist_ok=True)
    return state


def export(args, calls):
    """Returns the exit status: 0 complete, 1 failed (manifest says incomplete), 130 interrupted."""
    state = prepare_directory(args.out_dir, args.resume)
    identity = calls.call("sts", "GetCallerIdentity")
    if args.resume:
        if state.data.get("region") != calls.region or state.data.get("accountId") != identity["Account"]:
            raise UsageError(f"the unfinished export in {args.out_dir} is of account {state.data.get('accountId')} "
                             f"in {state.data.get('region')}, not {identity['Account']} in {calls.region}")
        # A resumed export retries what was denied last time (the role may have been fixed).
        state.data["skipped"] = []
        state.data["stages"] = {k: v for k, v in state.data["stages"].items() if v == "done"}
        started = datetime.datetime.fromisoformat(state.data["startedAt"])
    else:
        started = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        state.start({"accountId": identity["Account"], "region": calls.region, "exportedAt": iso_utc(started),
                     "startedAt": started.isoformat(), "logDays": args.log_days, "skip": sorted(args.skip)})
    log_days, skip = state.data["logDays"], set(state.data["skip"])
    chosen = {stage.name: True for stage in stages() if not any(f in skip for f in stage.files)}
    chosen["__reason__"] = {}
    for stage in stages():
        for name in stage.files:
            if name in skip and not state.done(stage.name):
                why = "not exported: --no-logs" if name == "iot-logs/" and log_days == 0 else "not exported: --skip"
                state.skip(stage.name, [name], why)
    bars = getattr(args, "progress", True) and sys.stderr.isatty()
    ctx = Context(calls, state, args.out_dir, log_days, started, Progress(bars))
    write_manifest(ctx, complete=False)
    reasons = run_stages(ctx, chosen)
    if ctx.errors:
        report_failure(ctx, args.out_dir, write_manifest(ctx, complete=False, errors=ctx.errors, reasons=reasons))
        return 130 if ctx.errors[0].startswith("interrupted") else 1
    write_manifest(ctx, complete=True)
    shutil.rmtree(state.dir)
    for entry in sorted(state.data["skipped"], key=lambda entry: entry["file"]):
        print(f"fleetaudit-export: skipped {entry['file']}: {printable(entry['reason'])}", file=sys.stderr)
    return 0


def report_failure(ctx, out_dir, manifest):
    """Every error, then every file the snapshot lacks, on standard error (AWS's text escaped)."""
    for error in ctx.errors:
        print(f"fleetaudit-export: error: {printable(error)}", file=sys.stderr)
    for entry in manifest["partialFiles"]:
        print(f"fleetaudit-export: partial: {entry['file']} ({entry['recordsKept']} record(s) kept for --resume, none "
              f"in the snapshot): {printable(entry['reason'])}", file=sys.stderr)
    for entry in manifest["missingFiles"]:
        print(f"fleetaudit-export: missing: {entry['file']}: {printable(entry['reason'])}", file=sys.stderr)
    print(f"fleetaudit-export: the snapshot in {out_dir} is incomplete (manifest.json lists what it lacks); run the "
          "same command with --resume to continue", file=sys.stderr)


# ---- --dry-run ----

ASSUMED_PER_THING = {"certificates": 1.0, "memberships": 1.0}
ASSUMED_ACCOUNT = {"ca_certificates": 1, "policies": 20, "policy_versions": 40, "thing_groups": 20,
                   "role_aliases": 2, "identity_pools": 1, "suppressions": 0, "iam_pages": 5}
LOG_EVENTS_PER_THING_PER_DAY = 4  # a Connect and a Disconnect, twice a day
LOG_EVENTS_PER_PAGE = 1000  # FilterLogEvents pages are at most 1 MB; an IoT log entry is about 1 KB


def assumed_counts(things, log_days):
    counts = {"things": things, **{k: int(things * v) for k, v in ASSUMED_PER_THING.items()}, **ASSUMED_ACCOUNT}
    counts["log_pages"] = math.ceil(things * LOG_EVENTS_PER_THING_PER_DAY * log_days / LOG_EVENTS_PER_PAGE)
    return counts


def counted(calls, log_days):
    """Counts the account's items with the cheap listing calls only (a page names up to 250)."""
    def count(service, operation, result_key, input_token, output_token, **params):
        return sum(len(page.get(result_key, [])) for page, _ in
                   calls.pages(service, operation, input_token, output_token, **params))
    things = count("iot", "ListThings", "things", "nextToken", "nextToken", maxResults=250)
    counts = assumed_counts(things, log_days)
    counts.update(
        certificates=count("iot", "ListCertificates", "certificates", "marker", "nextMarker", pageSize=250),
        ca_certificates=count("iot", "ListCACertificates", "certificates", "marker", "nextMarker", pageSize=250),
        policies=count("iot", "ListPolicies", "policies", "marker", "nextMarker", pageSize=250),
        thing_groups=count("iot", "ListThingGroups", "thingGroups", "nextToken", "nextToken", maxResults=250),
        role_aliases=count("iot", "ListRoleAliases", "roleAliases", "marker", "nextMarker", pageSize=250))
    counts["policy_versions"] = 2 * counts["policies"]
    counts["memberships"] = things
    return counts


def plan(calls, counts, skip, log_days):
    """(rows, seconds): one row per API with its calls; the time is that of the longest chain of
    stages, since stages run at once and each API has its own quota."""
    names = dict(counts)
    rows, finish = [], {}
    for stage in stages():
        if any(name in skip for name in stage.files) or (stage.name == LOG_FILE and log_days == 0):
            finish[stage.name] = 0.0
            continue
        seconds = 0.0
        for operation, formula in stage.plan:
            number = max(0, math.ceil(eval(formula, {"__builtins__": {}}, names)))  # our own formulas
            if number == 0:
                continue
            rows.append((operation, number, calls.tps[operation], number / calls.tps[operation]))
            seconds += number / calls.tps[operation]
        finish[stage.name] = seconds + max([finish[need] for need in stage.needs], default=0.0)
    return rows, max(finish.values())


def duration(seconds):
    if seconds < 120:
        return f"{seconds:.0f} s"
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours} h {rest // 60:02d} min" if hours else f"{rest // 60} min {rest % 60:02d} s"


def dry_run(args, calls):
    if args.assume_things is not None:
        counts = assumed_counts(args.assume_things, args.log_days)
        print(f"Assuming {args.assume_things:,} things, one certificate each, and for the account: "
              + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in ASSUMED_ACCOUNT.items())
              + f"; logs: {LOG_EVENTS_PER_THING_PER_DAY} events per thing per day, "
              f"{LOG_EVENTS_PER_PAGE} per page. No AWS call was made.")
    else:
        counts = counted(calls, args.log_days)
        print("Counted with listing calls only (nothing was written): "
              + ", ".join(f"{k.replace('_', ' ')} {counts[k]:,}" for k in
                          ("things", "certificates", "ca_certificates", "policies", "thing_groups", "role_aliases"))
              + "; policy versions, group memberships and log pages are estimated.")
    rows, seconds = plan(calls, counts, set(args.skip), args.log_days)
    width = max(len(row[0]) for row in rows)
    print(f"\n{'API call':<{width}}  {'calls':>12}  {'limit/s':>7}  {'time at the limit':>17}")
    for operation, number, tps, time_needed in rows:
        print(f"{operation:<{width}}  {number:>12,}  {tps:>7g}  {duration(time_needed):>17}")
    print(f"\n{sum(r[1] for r in rows):,} calls; estimated time {duration(seconds)} (stages run at once, each API "
          "within its own quota: the longest chain of stages sets the time).")
    return 0
