#!/usr/bin/python3
"""fleetaudit-apply on a large plan against the loopback stub: a fleetgen aged fleet, the plan that
deactivates every certificate past the age threshold (fleetaudit mitigate), then the dry run and
the run, timed, with fleetaudit-apply's peak memory (GNU time) and the journal's size.

    bench/apply_bench.py --fleetaudit build/fleetaudit --fleetgen build/bench/fleetgen \\
        --things 100000 --tps 10 [--seconds 300] [--work DIR]

--tps sets the UpdateCertificate and DescribeCertificate quotas (AWS's default is 10 for both);
--seconds stops the run after that long (SIGINT, as a user would) so that a run at the default
quota can be measured for a while and its pace compared with changes / TPS. The stub does not
validate requests here (its validation is the tests' job and costs more CPU than the run)."""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SOURCE, "tests", "exporter"))

from apply_account import ApplyAccount, ApplyStub  # noqa: E402

ACTIONS = {
    "actions": [{"actionName": "DeactivateAgedCertificate",
                 "roleArn": "arn:aws:iam::123456789012:role/service-role/AWSIoTDeviceDefenderMitigation",
                 "actionParams": {"updateDeviceCertificateParams": {"action": "DEACTIVATE"}}}],
    "task": {"taskId": "retire-aged-certificates",
             "target": {"auditCheckToReasonCodeFilter": {"DEVICE_CERTIFICATE_AGE_CHECK": [
                 "CERTIFICATE_PAST_AGE_THRESHOLD"]}},
             "auditCheckToActionsMapping": {"DEVICE_CERTIFICATE_AGE_CHECK": ["DeactivateAgedCertificate"]}}}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--fleetaudit", required=True)
    p.add_argument("--fleetgen", required=True)
    p.add_argument("--things", type=int, default=100000)
    p.add_argument("--tps", type=float, default=10)
    p.add_argument("--seconds", type=float, default=0)
    p.add_argument("--work", default=None)
    args = p.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="apply-bench-")
    fleet, plan = os.path.join(work, "fleet"), os.path.join(work, "plan.json")
    if not os.path.exists(plan):
        subprocess.run([args.fleetgen, "--things", str(args.things), "--seed", "57", "--out", fleet, "--profile", "aged",
                        "--policies", "50"], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(work, "actions.json"), "w") as file:
            json.dump(ACTIONS, file)
        started = time.monotonic()
        subprocess.run([args.fleetaudit, "mitigate", fleet, "--actions", os.path.join(work, "actions.json"),
                        "--plan", plan], check=True, stdout=subprocess.DEVNULL)
        print(f"plan: {time.monotonic() - started:.1f} s, {os.path.getsize(plan) / 1e6:.1f} MB")
    for suffix in (".journal.jsonl", ".approval.json", ".executions.json", ".task.json"):
        if os.path.exists(plan + suffix):
            os.remove(plan + suffix)
    changes = sum(len(e["changes"]) for e in json.load(open(plan))["executions"])
    account = ApplyAccount.from_snapshot(fleet)
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "x" * 40,
           "AWS_EC2_METADATA_DISABLED": "true", "NO_PROXY": "127.0.0.1"}
    apply = [sys.executable, os.path.join(SOURCE, "exporter", "fleetaudit-apply"), plan]
    subprocess.run(apply + ["--dry-run"], check=True, stdout=subprocess.DEVNULL)
    with ApplyStub(account, validate=False, lifetime=86400) as stub:
        command = ["/usr/bin/time", "-v"] + apply + ["--endpoint-url", stub.url, "--quota",
                                                      f"UpdateCertificate={args.tps:g}", "--quota",
                                                      f"DescribeCertificate={args.tps:g}"]
        started = time.monotonic()
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if args.seconds:
            try:
                process.wait(args.seconds)
            except subprocess.TimeoutExpired:
                # Ctrl-C as a user would press it, to fleetaudit-apply itself (GNU time ignores it).
                with open(f"/proc/{process.pid}/task/{process.pid}/children") as children:
                    for child in children.read().split():
                        os.kill(int(child), signal.SIGINT)
        out, err = process.communicate()
        elapsed = time.monotonic() - started
    done = sum(1 for op, _ in account.changes if op == "UpdateCertificate")
    peak = [line for line in err.splitlines() if "Maximum resident set size" in line]
    print(f"changes in plan: {changes}; made: {done} in {elapsed:.1f} s = {done / elapsed:.2f}/s "
          f"(quota {args.tps:g}/s; changes / TPS = {changes / args.tps:.0f} s for the whole plan)")
    print(f"exit status {process.returncode}; {peak[0].strip() if peak else 'peak memory not reported'}")
    print(f"journal: {os.path.getsize(plan + '.journal.jsonl') / 1e6:.1f} MB")
    print("\n".join(line for line in err.splitlines() if line.startswith("fleetaudit-apply:"))[-1500:])


if __name__ == "__main__":
    main()
