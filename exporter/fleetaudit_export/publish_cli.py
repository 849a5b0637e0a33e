"""The command line of fleetaudit-publish: the one program of the package that writes to AWS
(fleetaudit-export only reads). Options shared with fleetaudit-export may come before or after
the subcommand."""

import argparse
import re
import sys

from . import __version__
from .calls import Calls, CallFailed, PUBLISH_OPERATIONS
from .terminal import printable
from .export import UsageError
from .inputs import InputError
from .notification import publish_notifications
from .securityhub import IMPORT_TPS, import_findings

DESCRIPTION = """\
Sends what fleetaudit wrote where security teams look: the audit-notification message to an SNS
topic, and ASFF findings to AWS Security Hub. Credentials and region come from the usual AWS chain
(environment, profile, SSO, instance role); --region, --profile and --endpoint-url may come before
or after the subcommand. The IAM policy each subcommand needs is in the README."""

EPILOG = """\
exit status: 0 sent; 1 a call failed, or Security Hub refused some findings (each is named); 2 usage
error or an input file that is not what it should be (nothing is sent); 130 interrupted (the
securityhub import continues with --resume)."""

# A standard topic: a FIFO topic (name ending .fifo) needs a message group and deduplication id,
# which this program does not send, so it is refused here rather than by SNS.
TOPIC_ARN = re.compile(r"arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}")


def shared_options(suppress):
    """--region, --profile, --endpoint-url, as fleetaudit-export takes them. Given to the main
    parser and to each subcommand; the subcommand's copy does not override with its default."""
    options = argparse.ArgumentParser(add_help=False)
    default = argparse.SUPPRESS if suppress else None
    options.add_argument("--region", default=default, help="the AWS Region (default: from the AWS configuration)")
    options.add_argument("--profile", default=default, help="the AWS named profile")
    options.add_argument("--endpoint-url", default=default,
                         help="send every call to this URL (tests, VPC endpoints)")
    return options


def parser():
    p = argparse.ArgumentParser(prog="fleetaudit-publish", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter, parents=[shared_options(False)])
    p.add_argument("--version", action="version", version=f"fleetaudit-publish {__version__}")
    commands = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    sns = commands.add_parser("sns", parents=[shared_options(True)],
                              help="publish an audit notification (fleetaudit audit --format notification) to a topic",
                              description="Publishes REPORT.notification.json to an SNS topic (sns:Publish), "
                                          "with message attributes per check status.")
    sns.add_argument("--topic-arn", required=True, help="the SNS topic, in the region the calls go to")
    sns.add_argument("notification", metavar="REPORT.notification.json")
    hub = commands.add_parser("securityhub", parents=[shared_options(True)],
                              help="import ASFF findings (fleetaudit audit --format asff) into Security Hub",
                              description="Imports REPORT.asff.json with BatchImportFindings: at most 100 findings "
                                          f"and 6 MB a call, {IMPORT_TPS:g} calls a second, retried on throttling; "
                                          "a journal beside the file makes an interrupted import resumable.")
    hub.add_argument("findings", metavar="REPORT.asff.json")
    hub.add_argument("--resume", action="store_true",
                     help="continue the interrupted import of this file (its journal is REPORT.asff.json"
                          ".fleetaudit-publish.json)")
    return p


def checked_topic(topic_arn, region):
    match = TOPIC_ARN.fullmatch(topic_arn)
    if not match:
        raise UsageError("--topic-arn: expected arn:aws:sns:REGION:ACCOUNT:TOPIC, a standard (not FIFO) topic")
    if match.group(1) != region:
        raise UsageError(f"the topic is in {match.group(1)}, the calls go to {region}: give --region {match.group(1)}")
    return topic_arn


def run(args):
    if args.command == "sns":
        calls = Calls(args.region, args.profile, args.endpoint_url, 1, operations=PUBLISH_OPERATIONS["sns"])
        topic = checked_topic(args.topic_arn, calls.region)
        for account, message_id in publish_notifications(calls, topic, args.notification):
            print(f"published {printable(args.notification)} (account {printable(account)}) to {args.topic_arn}: "
                  f"MessageId {message_id}")
        return 0
    calls = Calls(args.region, args.profile, args.endpoint_url, 1, quotas={"BatchImportFindings": IMPORT_TPS},
                  operations=PUBLISH_OPERATIONS["securityhub"])
    return import_findings(calls, args.findings, args.resume)


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return run(args)
    except (UsageError, InputError) as error:
        print(f"fleetaudit-publish: error: {printable(str(error))}", file=sys.stderr)
        return 2
    except CallFailed as error:
        print(f"fleetaudit-publish: error: {printable(str(error))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("fleetaudit-publish: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # credentials missing, profile unknown...
        print(f"fleetaudit-publish: error: {type(error).__name__}: {printable(str(error))}", file=sys.stderr)
        return 1
