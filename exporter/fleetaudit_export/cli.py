"""The command line of fleetaudit-export."""

import argparse
import sys

from . import __version__
from .arguments import positive, quota_type
from .calls import Calls, CallFailed, Deadlines, OPERATIONS, ORGANIZATION_OPERATIONS
from .terminal import printable
from .export import UsageError, dry_run, export, selectable_files
from .organization import export_organization, parse_regions

DESCRIPTION = """\
Writes a fleetaudit snapshot of one AWS account and region into OUT_DIR (every file of the
snapshot format, each as the AWS CLI v2 prints it), using only read-only calls. Credentials and
region come from the usual AWS chain (environment, profile, SSO, instance role)."""

EPILOG = """\
exit status: 0 the snapshot is complete (files the caller may not read are listed as skipped in
manifest.json); 1 a call failed, or ran past its deadline, or AWS answered something that cannot
be exported faithfully (a pagination token that repeats, a control character in a name): the
snapshot is marked incomplete ("complete": false, with missingFiles and partialFiles), continue it
with --resume; 2 usage error; 130 interrupted (continue with --resume). With --organization: 0 every
account and region was exported completely; 1 some account or region failed (organization.json
names each with its reason; the others are exported; --resume continues the failed and
unfinished ones)."""


def parse_regions_argument(text):
    try:
        return parse_regions(text)
    except UsageError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def check_organization_options(args):
    organization_only = [name for name, given in (("--accounts", args.accounts), ("--external-id", args.external_id),
                                                  ("--regions", args.regions), ("--all-regions", args.all_regions))
                         if given]
    if organization_only and not args.organization:
        parser().error(f"{organization_only[0]} goes with --organization")
    if args.organization and args.dry_run:
        parser().error("--dry-run is for one account: run it with one account's credentials")


def seconds(text):
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not 0 < value < 1e6:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def parser():
    p = argparse.ArgumentParser(prog="fleetaudit-export", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir", metavar="OUT_DIR", help="a new or empty directory (or the unfinished one, with --resume)")
    p.add_argument("--region", help="the AWS Region (default: from the AWS configuration)")
    p.add_argument("--profile", help="the AWS named profile")
    p.add_argument("--endpoint-url", help="send every call (IoT, IAM, STS, Cognito Identity, CloudWatch Logs) to "
                                          "this URL (tests, VPC endpoints)")
    p.add_argument("--concurrency", type=positive,
                   help="at most N requests of one API in flight at once and at most N per second (lowers the "
                        "default: the API's published rate, with up to that many requests in flight)")
    p.add_argument("--quota", type=quota_type(OPERATIONS), action="append", default=[], metavar="API=TPS",
                   help="your account's raised rate quota for one API (e.g. DescribeCertificate=100), or *=TPS for all")
    logs = p.add_mutually_exclusive_group()
    logs.add_argument("--log-days", type=positive, default=31,
                      help="export the AWS IoT v2 logs of the last N days (default 31, the audit window)")
    logs.add_argument("--no-logs", action="store_true", help="do not export logs (iot-logs/ is listed as skipped)")
    p.add_argument("--skip", nargs="+", default=[], metavar="FILE", choices=selectable_files(),
                   help="leave these snapshot files out (recorded in the manifest): " + ", ".join(selectable_files()))
    defaults = Deadlines()
    p.add_argument("--connect-timeout", type=seconds, default=defaults.connect, metavar="SECONDS",
                   help=f"give up a connection attempt after this long (default {defaults.connect:g}; retried)")
    p.add_argument("--read-timeout", type=seconds, default=defaults.read, metavar="SECONDS",
                   help=f"give up an attempt when the answer is silent this long (default {defaults.read:g}; retried)")
    p.add_argument("--call-timeout", type=seconds, default=defaults.call, metavar="SECONDS",
                   help=f"the most one call may take, every attempt, retry and wait included, however slowly the "
                        f"answer trickles in; past it the export stops, naming the call (default {defaults.call:g})")
    p.add_argument("--stall-notice", type=seconds, default=defaults.notice, metavar="SECONDS",
                   help=f"say on standard error that a call is still waiting, after this long and again each time "
                        f"as long (default {defaults.notice:g})")
    p.add_argument("--resume", action="store_true", help="continue an interrupted export in OUT_DIR")
    p.add_argument("--dry-run", action="store_true",
                   help="print the calls the export would make, their count and the estimated time; counts the "
                        "account with listing calls only, or makes no call with --assume-things")
    p.add_argument("--assume-things", type=int, metavar="N", help="with --dry-run: plan for N things without calling AWS")
    org = p.add_argument_group("organization", "export every account of an AWS Organization into OUT_DIR/ACCOUNT/REGION/")
    org.add_argument("--organization", action="store_true",
                     help="list the organization's accounts (organizations:ListAccounts, from the management or a "
                          "delegated administrator account) and export each through its own assumed role")
    org.add_argument("--accounts", metavar="FILE",
                     help="with --organization: export the accounts listed in FILE (one 12-digit id per line) "
                          "instead of listing the organization")
    org.add_argument("--role-name", default="fleetaudit-readonly",
                     help="with --organization: the role to assume in each account (default fleetaudit-readonly)")
    org.add_argument("--external-id", help="with --organization: the external id the role requires")
    where = org.add_mutually_exclusive_group()
    where.add_argument("--regions", type=parse_regions_argument, metavar="R1,R2",
                       help="with --organization: the regions to export (default: the configured region)")
    where.add_argument("--all-regions", action="store_true",
                       help="with --organization: export every region of the partition where the account has IoT "
                            "things, certificates or policies (probed with one-item listings)")
    org.add_argument("--parallel-accounts", type=positive, default=4, metavar="N",
                     help="with --organization: export N accounts at once (default 4; rate limits are per account)")
    p.add_argument("--version", action="version", version=f"fleetaudit-export {__version__}")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    if args.no_logs:
        args.log_days = 0
        args.skip = list(args.skip) + ["iot-logs/"]
    if args.assume_things is not None and not args.dry_run:
        parser().error("--assume-things goes with --dry-run")
    check_organization_options(args)
    quotas = dict(args.quota)
    if args.concurrency:
        # --concurrency only ever lowers a rate.
        from .calls import PUBLISHED_TPS, DEFAULT_TPS
        for operations in OPERATIONS.values():
            for operation in operations:
                base = quotas.get(operation, quotas.get("*", PUBLISHED_TPS.get(operation, DEFAULT_TPS)))
                quotas[operation] = min(base, args.concurrency)
    try:
        deadlines = Deadlines(args.connect_timeout, args.read_timeout, args.call_timeout, args.stall_notice)
        calls = Calls(args.region, args.profile, args.endpoint_url, args.concurrency or 64, quotas,
                      operations=ORGANIZATION_OPERATIONS if args.organization else OPERATIONS, deadlines=deadlines)
        if args.organization:
            args.quotas, args.deadlines = quotas, deadlines
            args.regions = args.regions or ([] if args.all_regions else [calls.region])
            return export_organization(args, calls)
        if args.dry_run:
            if args.assume_things is None:
                calls.call("sts", "GetCallerIdentity")
            return dry_run(args, calls)
        return export(args, calls)
    except UsageError as error:
        print(f"fleetaudit-export: error: {printable(str(error))}", file=sys.stderr)
        return 2
    except CallFailed as error:
        print(f"fleetaudit-export: error: {printable(str(error))}", file=sys.stderr)
        return 1
    except Exception as error:  # credentials missing, profile unknown...
        print(f"fleetaudit-export: error: {type(error).__name__}: {printable(str(error))}", file=sys.stderr)
        return 1
