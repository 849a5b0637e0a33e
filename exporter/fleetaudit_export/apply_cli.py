"""The command line of fleetaudit-apply: carries out a plan `fleetaudit mitigate` wrote, after its
dry run, within AWS's rate limits, journaled and resumable, and verifies it."""

import argparse
import json
import re
import sys

from . import __version__
from .arguments import positive, quota_type
from .apply_changes import APPLY_OPERATIONS, APPLY_TPS, ChangeFailed, Stopped, attempt
from .apply_journal import (Journal, approval_path, journal_path, now_iso, read_journal, record_approval, refusal,
                            write_atomically)
from .apply_plan import PHASES, PlanError, ordered_units, read_plan
from .apply_report import executions_report, summary_text, task_statistics
from .apply_run import Applier, canceling_failures, clock, estimate_seconds, verify
from .calls import CallFailed
from .terminal import printable

DESCRIPTION = """\
Carries out a mitigation plan written by `fleetaudit mitigate --plan` through the AWS API: the same
changes as the plan's shell script, in the safe order (SNS notifications, logging, quarantine
groups, policy versions, certificate deactivation last), within each API's rate quota, with every
change journaled beside the plan (PLAN.json.journal.jsonl) so that --resume continues where a run
stopped. A plan is applied only after its --dry-run (the review step), and only as it was then."""

EPILOG = """\
files beside the plan PLAN.json: PLAN.json.approval.json (the dry run's record: the plan's sha256
and clocks), PLAN.json.journal.jsonl (every change's state), PLAN.json.executions.json (the journal
in the shape of ListAuditMitigationActionsExecutions) and PLAN.json.task.json (per-action
statistics, the shape of DescribeAuditMitigationActionsTask).

exit status: 0 every change made (or already in place) / verified; 1 a change failed or did not
take (the others went on); 2 usage error, or the plan was refused (no dry run, edited, too old,
another account); 3 stopped before the end (credentials expired, connection lost): continue with
--resume; 130 interrupted (continue with --resume)."""


def duration(text):
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smhd])", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected a duration such as 90m, 24h or 7d, got {text!r}")
    return float(match.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]


def parser():
    p = argparse.ArgumentParser(prog="fleetaudit-apply", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("plan", metavar="PLAN.json", help="the plan fleetaudit mitigate --plan wrote")
    p.add_argument("--region", help="the AWS Region (default: the plan's, from the snapshot's manifest)")
    p.add_argument("--profile", help="the AWS named profile")
    p.add_argument("--endpoint-url", help="send every call to this URL (tests, VPC endpoints)")
    p.add_argument("--concurrency", type=positive, default=16,
                   help="threads making changes at once (default 16); each API stays within its quota")
    p.add_argument("--quota", type=quota_type(APPLY_OPERATIONS), action="append", default=[], metavar="API=TPS",
                   help="your account's quota for one API (e.g. UpdateCertificate=50), or *=TPS for all; defaults: "
                        + ", ".join(f"{op} {tps:g}" for op, tps in sorted(APPLY_TPS.items())))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true",
                      help="print every call the plan makes and the estimated time, call nothing, and record the "
                           "plan's sha256 as reviewed (a real run requires this)")
    mode.add_argument("--verify", action="store_true",
                      help="re-read every resource the plan changes (read-only calls) and report what is not in place")
    p.add_argument("--resume", action="store_true", help="continue a run that stopped, from its journal")
    p.add_argument("--only", nargs="+", metavar="ACTION", default=None,
                   help="only these actions of the plan (by actionName); the others stay PENDING")
    p.add_argument("--max-plan-age", type=duration, metavar="AGE",
                   help="refuse a plan whose snapshot is older than AGE (e.g. 24h, 7d): the account may have "
                        "changed since")
    p.add_argument("--version", action="version", version=f"fleetaudit-apply {__version__}")
    return p


class UsageError(Exception):
    pass


def selected_changes(plan, only):
    if only:
        known = {name for name, _ in plan.actions}
        unknown = [name for name in only if name not in known]
        if unknown:
            raise UsageError(f"--only: the plan has no action {', '.join(map(printable, unknown))} "
                             f"(it has {', '.join(sorted(known))})")
    return {change.id: only is None or plan.executions[change.execution].action_name in only
            for change in plan.changes()}


def dry_run(plan, selected, tps, out):
    units = ordered_units([c for c in plan.changes() if selected[c.id]])
    for phase, changes in units:
        for change in changes:
            shown = {k: (v if k != "message" else f"<{len(v)} bytes: the finding "
                                                   f"{plan.executions[change.execution].finding_id}>")
                     for k, v in change.params.items()}
            arguments = " ".join(f"{key}={printable(value) if isinstance(value, str) else json.dumps(value)}"
                                 for key, value in shown.items())
            out.write(f"  [{change.id}] {PHASES[phase]}: {change.operation} {arguments}\n")
    count = sum(len(changes) for _, changes in units)
    out.write(f"dry run: {count} changes, nothing called; estimated {clock(estimate_seconds(units, tps))} at the "
              "quotas\n")
    approval = record_approval(plan)
    out.write(f"recorded the plan (sha256 {approval['planSha256']}) as reviewed in {approval_path(plan.path)}; "
              f"apply it with: fleetaudit-apply {printable(plan.path)}\n")
    return 0


def check_account(plan, calls, region):
    if plan.region and region != plan.region:
        raise UsageError(f"the plan is for Region {plan.region}, not {printable(region)}")
    identity = attempt(calls, "GetCallerIdentity")
    if plan.account_id and identity.get("Account") != plan.account_id:
        raise UsageError(f"the plan is for account {plan.account_id}; these credentials are for account "
                         f"{printable(identity.get('Account'))}")


def write_reports(plan, states):
    report = executions_report(plan, states, canceling_failures(plan))
    write_atomically(plan.path + ".executions.json", json.dumps(report, indent=2) + "\n")
    statistics, _ = task_statistics(plan, report)
    statuses = {entry["status"] for entry in report["actionsExecutions"]}
    task_status = "FAILED" if "FAILED" in statuses else (
        "IN_PROGRESS" if statuses & {"PENDING", "IN_PROGRESS"} else "COMPLETED")
    starts = [e["startTime"] for e in report["actionsExecutions"] if "startTime" in e]
    task = {"taskStatus": task_status, **({"startTime": min(starts)} if starts else {}),
            **({"endTime": now_iso()} if task_status != "IN_PROGRESS" else {}), "taskStatistics": statistics}
    write_atomically(plan.path + ".task.json", json.dumps(task, indent=2) + "\n")
    return report


def apply(args, plan, selected, calls):
    why = refusal(plan, args.max_plan_age)
    if why:
        raise UsageError(f"refused: {why}")
    states, runs, problems = read_journal(journal_path(plan.path))
    for problem in problems:
        print(f"fleetaudit-apply: warning: {printable(problem)}", file=sys.stderr)
    if states and not args.resume:
        raise UsageError(f"{journal_path(plan.path)} holds an earlier run of this plan: continue it with --resume")
    if args.resume and runs and runs[0].get("planSha256") != plan.sha256:
        raise UsageError(f"{journal_path(plan.path)} belongs to another version of the plan")
    check_account(plan, calls, calls.region)
    units = ordered_units(plan.changes())
    journal = Journal(journal_path(plan.path))
    try:
        applier = Applier(plan, calls, journal, states, selected)
        todo = applier.todo(units)
        done_before = sum(1 for c in plan.changes() if selected[c.id]) - sum(len(c) for _, c in todo)
        print(f"fleetaudit-apply: {sum(len(c) for _, c in todo)} changes to make"
              + (f" ({done_before} done by an earlier run)" if done_before else "")
              + f"; estimated {clock(estimate_seconds(todo, calls.tps))} at the quotas", file=sys.stderr)
        journal.append({"run": "start", "time": now_iso(), "planSha256": plan.sha256, "resume": args.resume})
        why = applier.run(units, args.concurrency)
        outcome = "completed" if why is None else ("interrupted" if isinstance(why, KeyboardInterrupt) else "stopped")
        journal.append({"run": "end", "time": now_iso(), "outcome": outcome})
    finally:
        journal.close()
    report = write_reports(plan, states)
    sys.stdout.write(summary_text(plan, report))
    for entry in report["actionsExecutions"]:
        if entry["status"] == "FAILED":
            print(f"FAILED {entry['actionName']} on finding {printable(entry['findingId'])}: "
                  f"{printable(entry.get('errorCode'))}: {printable(entry.get('message'))}")
    if isinstance(why, KeyboardInterrupt):
        print("fleetaudit-apply: interrupted; continue with --resume", file=sys.stderr)
        return 130
    if isinstance(why, Stopped):
        print(f"fleetaudit-apply: stopped: {printable(why)}; the journal is intact: refresh the credentials and "
              "continue with --resume", file=sys.stderr)
        return 3
    if why is not None:
        raise why
    print(f"fleetaudit-apply: report in {plan.path}.executions.json", file=sys.stderr)
    return 1 if any(e["status"] == "FAILED" for e in report["actionsExecutions"]) else 0


def run_verify(args, plan, selected, calls):
    states, _, _ = read_journal(journal_path(plan.path))
    check_account(plan, calls, calls.region)
    problems, unverifiable, why = verify(plan, calls, states, selected, args.concurrency)
    for change, problem in problems:
        print(f"NOT IN PLACE [{change.id}] {change.operation} {printable(change.resource)}: {printable(problem)}")
    checked = sum(1 for c in plan.changes() if selected[c.id])
    print(f"verified {checked} changes: {len(problems)} not in place"
          + (f"; {len(unverifiable)} SNS messages cannot be read back (the journal records them sent)"
             if unverifiable else ""))
    if why is not None:
        print(f"fleetaudit-apply: stopped: {printable(why)}", file=sys.stderr)
        return 3
    return 1 if problems else 0


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        plan = read_plan(args.plan)
        selected = selected_changes(plan, args.only)
        tps = dict(APPLY_TPS)
        for operation, value in args.quota:
            if operation == "*":
                tps = dict.fromkeys(tps, value)
        tps.update({operation: value for operation, value in args.quota if operation != "*"})
        if args.dry_run:
            return dry_run(plan, selected, tps, sys.stdout)
        # Retries go through the rate limiters (attempt()), so botocore makes one attempt per call;
        # a 5% margin keeps requests within the quota after the network has bunched them.
        from .calls import Calls
        calls = Calls(args.region or plan.region or None, args.profile, args.endpoint_url, args.concurrency, tps,
                      operations=APPLY_OPERATIONS, published_tps=APPLY_TPS, max_attempts=1, rate_margin=0.05)
        if args.verify:
            return run_verify(args, plan, selected, calls)
        return apply(args, plan, selected, calls)
    except (PlanError, UsageError) as error:
        print(f"fleetaudit-apply: error: {printable(error)}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"fleetaudit-apply: error: {printable(error)}", file=sys.stderr)
        return 2
    except Stopped as error:
        print(f"fleetaudit-apply: stopped: {printable(error)}", file=sys.stderr)
        return 3
    except (ChangeFailed, CallFailed) as error:
        print(f"fleetaudit-apply: error: {printable(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # credentials missing, profile unknown...
        print(f"fleetaudit-apply: error: {type(error).__name__}: {printable(error)}", file=sys.stderr)
        return 1
