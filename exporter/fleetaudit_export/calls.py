"""Every AWS call the exporter, the publisher and fleetaudit-apply make goes through Calls: one
rate limit per API that every attempt waits for (retries included: AWS counts them), retries on
throttling (botocore's standard retry mode, plus the throttling codes it does not know), a total
deadline per call (a stall is reported as it happens), and errors sorted into "access denied"
(the file is left out) and everything else (the export stops)."""

import hashlib
import os
import queue
import random
import re
import sys
import threading
import time
from .terminal import printable

# boto3 and botocore are imported where they are used: importing them takes a second or more on a
# busy machine, which a dry run or a refused plan of fleetaudit-apply never needs.

# The read-only API operations the exporter calls, by service; the README's IAM policy lists
# exactly these (tests/exporter checks both directions).
OPERATIONS = {
    "sts": ["GetCallerIdentity"],
    "iot": ["ListThings", "ListThingPrincipals", "ListCertificates", "DescribeCertificate",
            "ListCACertificates", "DescribeCACertificate", "ListPolicies", "GetPolicy",
            "ListPolicyVersions", "GetPolicyVersion", "ListTargetsForPolicy", "ListThingGroups",
            "ListThingsInThingGroup", "GetLoggingOptions", "GetV2LoggingOptions",
            "ListV2LoggingLevels", "ListRoleAliases", "DescribeRoleAlias",
            "DescribeAccountAuditConfiguration", "ListAuditSuppressions"],
    "iam": ["GetAccountAuthorizationDetails", "GenerateServiceLastAccessedDetails",
            "GetServiceLastAccessedDetails"],
    "cognito-identity": ["ListIdentityPools", "GetIdentityPoolRoles"],
    "logs": ["FilterLogEvents"],
}

# The calls `--organization` makes with the caller's own (management or delegated administrator)
# credentials, before each account's export runs with that account's assumed role; the README's
# management-side policy lists exactly these.
ORGANIZATION_OPERATIONS = {
    "organizations": ["ListAccounts"],
    "sts": ["GetCallerIdentity", "AssumeRole"],
}

# The calls fleetaudit-publish makes, the only ones that write: one table per subcommand, each the
# exact IAM policy the README gives for it (tests/exporter checks both directions).
PUBLISH_OPERATIONS = {
    "sns": {"sns": ["Publish"]},
    "securityhub": {"securityhub": ["BatchImportFindings"]},
}

# Requests per second per API, per account and region. PUBLISHED: the default values of the
# AWS IoT Core "API TPS" quotas in Service Quotas (ListThings L-57AAC135, ListThingPrincipals
# L-FC3EF4D9, ListThingGroups L-1E5260D6, ListThingsInThingGroup L-D33FD5F9, DescribeCertificate
# L-FC864907) and CloudWatch Logs' FilterLogEvents (5 per second). Every other API gets
# DEFAULT_TPS, the rate AWS IoT publishes for most of its read APIs; raise any with --quota
# when your account's quotas are higher.
PUBLISHED_TPS = {
    "ListThings": 10, "ListThingPrincipals": 10, "ListThingGroups": 10,
    "ListThingsInThingGroup": 25, "DescribeCertificate": 10, "GetPolicy": 10,
    "FilterLogEvents": 5,
    "ListAccounts": 1,  # AWS Organizations throttles its API hard; one page a second is plenty
}
DEFAULT_TPS = 10

# Throttling errors botocore's standard retry mode does not recognise (it knows "Throttling",
# "ThrottlingException", "TooManyRequestsException", ... but not SNS's "Throttled", HTTP 429):
# Calls.call retries these itself, with the same capped exponential backoff and jitter.
UNRECOGNISED_THROTTLING = {"Throttled"}
MAX_ATTEMPTS = 10
MAX_BACKOFF_SECONDS = 20

ACCESS_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedException",
                 "UnauthorizedOperation", "NotAuthorizedException", "AuthorizationError"}


class AccessDenied(Exception):
    """The caller may not make this call: the file that needs it is left out."""


class CallFailed(Exception):
    """Any other failure: the export stops, naming the call. `code` and `message` are AWS's."""

    def __init__(self, text, code="", message=""):
        super().__init__(text)
        self.code, self.message = code, message


class Deadlines:
    """How long one call may take. `connect` and `read` bound each connection attempt and each
    silence within an answer (botocore's own timeouts); `call` bounds the whole call, every
    attempt, retry and back-off included, so a server that trickles an answer a byte at a time
    cannot hold the export; `notice` is how long a call runs before standard error says so."""

    def __init__(self, connect=20.0, read=60.0, call=300.0, notice=30.0):
        self.connect, self.read, self.call, self.notice = connect, read, call, notice


class DeadlinePassed(Exception):
    """Raised inside an abandoned call at its next send or retry: its caller has stopped waiting."""


class CallRunner:
    """Daemon threads that make the calls while their callers wait with a deadline. A call past
    its deadline is abandoned: its thread stops at its next send or retry (DeadlinePassed), or
    when the stalled answer ends, and never keeps the process from exiting. Threads are reused:
    starting one per call costs about 0.3 ms, as much as a small call itself."""

    local = threading.local()  # the job a worker thread is running, for the botocore handlers

    def __init__(self):
        self.jobs, self.idle, self.lock = queue.SimpleQueue(), 0, threading.Lock()

    def submit(self, function):
        job = {"function": function, "done": threading.Event(), "abandoned": False}
        with self.lock:
            spawn = self.idle == 0
            if not spawn:
                self.idle -= 1
        if spawn:
            threading.Thread(target=self._work, name="aws-call", daemon=True).start()
        self.jobs.put(job)
        return job

    def _work(self):
        while True:
            job = self.jobs.get()
            CallRunner.local.job = job
            try:
                job["value"] = job["function"]()
            except BaseException as error:  # handed to the caller
                job["error"] = error
            CallRunner.local.job = None
            with self.lock:  # idle before done: a caller's next call then reuses this thread
                self.idle += 1
            job["done"].set()

    @staticmethod
    def stop_if_abandoned(**_):
        """botocore's before-send and needs-retry events: an abandoned call sends nothing more."""
        job = getattr(CallRunner.local, "job", None)
        if job is not None and job["abandoned"]:
            raise DeadlinePassed()


# The program whose standard error a stall notice goes to (each launcher sets its own name).
PROGRAM = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "fleetaudit"

class TokenGuard:
    """Remembers the pagination tokens of one listing: a token that comes back (the same one, or
    a cycle A, B, A) would make the listing go round for ever, writing the same records again."""

    def __init__(self, what, first=None):
        self.what, self.seen, self.pages = what, set(), 0
        if first is not None:
            self.seen.add(self.digest(first))

    @staticmethod
    def digest(token):
        return hashlib.blake2b(str(token).encode(), digest_size=16).digest()

    def follow(self, token, name):
        self.pages += 1
        if token is None:
            return
        digest = self.digest(token)
        if digest in self.seen:
            raise CallFailed(f"{self.what}: page {self.pages} returned a {name} that an earlier page of this listing "
                             "returned already: a broken or hostile endpoint (following it would list the same "
                             "records again for ever); the listing is abandoned")
        self.seen.add(digest)


class RateLimiter:
    """Spaces requests at most `tps` per second (shared by every thread calling one API).

    `margin` widens every gap by that fraction, so that requests still fit the quota after the
    network has bunched them up on the way (fleetaudit-apply, whose quota is a hard limit, uses it).
    throttled() halves the rate after AWS said "too fast", and succeeded() wins it back a little
    per success (additive increase, multiplicative decrease), never above `tps`."""

    def __init__(self, tps, margin=0.0):
        self.tps = tps
        self.rate = tps
        self.margin = margin
        self.next_slot = 0.0
        self.lock = threading.Lock()

    @property
    def interval(self):
        return (1.0 + self.margin) / self.rate

    def wait(self):
        while True:
            with self.lock:
                now = time.monotonic()
                if now >= self.next_slot:
                    # Chained from when a request really leaves, so a late wake-up cannot bunch two.
                    self.next_slot = now + self.interval
                    return
                delay = self.next_slot - now
            time.sleep(delay)

    def throttled(self):
        with self.lock:
            self.rate = max(self.tps / 16, self.rate / 2)

    def succeeded(self):
        if self.rate < self.tps:
            with self.lock:
                self.rate = min(self.tps, self.rate + self.tps / 50)


def snake_case(operation):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", operation).lower()


def cli_timestamp(value):
    """The AWS CLI v2's rendering of a timestamp (awscli/customizations/timestampformat.py,
    the default cli_timestamp_format iso8601): parsed by botocore, then isoformat()."""
    import botocore.utils
    return botocore.utils.parse_timestamp(value).isoformat()


class Calls:
    """`operations` and `published_tps` default to the exporter's read-only calls; another program of
    the package (the organization's management side, fleetaudit-publish, fleetaudit-apply) passes
    its own. `max_attempts=1` leaves retrying to the caller. `credentials`: an assumed role's
    {"AccessKeyId", "SecretAccessKey", "SessionToken"} instead of the profile's. `deadlines`:
    Deadlines (defaults when None)."""

    def __init__(self, region=None, profile=None, endpoint_url=None, concurrency=16, quotas=None,
                 operations=None, published_tps=None, max_attempts=MAX_ATTEMPTS, rate_margin=0.0, credentials=None,
                 deadlines=None):
        import boto3
        import botocore.config
        self.operations = operations or OPERATIONS
        published_tps = PUBLISHED_TPS if published_tps is None else published_tps
        if credentials:
            self.session = boto3.session.Session(
                region_name=region, aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretAccessKey"], aws_session_token=credentials["SessionToken"])
        else:
            self.session = boto3.session.Session(region_name=region, profile_name=profile)
        # Timestamps reach us as the CLI v2 prints them, so files match the CLI's byte for byte.
        self.session._session.get_component("response_parser_factory").set_parser_defaults(
            timestamp_parser=cli_timestamp)
        self.region = self.session.region_name
        if not self.region:
            raise CallFailed("no region: give --region or set one in your AWS configuration")
        self.deadlines = deadlines or Deadlines()
        self.config = botocore.config.Config(
            retries={"mode": "standard", "max_attempts": max_attempts},
            max_pool_connections=max(10, concurrency * 4), connect_timeout=self.deadlines.connect,
            read_timeout=self.deadlines.read)
        self.runner = CallRunner()
        self.endpoint_url = endpoint_url
        self.concurrency = concurrency
        self.max_attempts = max_attempts
        self.clients = {}
        self.clients_lock = threading.Lock()
        self.tps = {}
        self.limiters = {}
        for service_operations in self.operations.values():
            for operation in service_operations:
                tps = (quotas or {}).get(operation, (quotas or {}).get("*", published_tps.get(operation, DEFAULT_TPS)))
                self.tps[operation] = tps
                self.limiters[operation] = RateLimiter(tps, rate_margin)
        self.counts = {}
        self.counts_lock = threading.Lock()

    def client(self, service):
        with self.clients_lock:
            if service not in self.clients:
                client = self.session.client(service, endpoint_url=self.endpoint_url, config=self.config)
                client.meta.events.register_first("before-send", CallRunner.stop_if_abandoned)
                client.meta.events.register_first("needs-retry", CallRunner.stop_if_abandoned)
                # before-send is emitted for every attempt, so botocore's own retries wait too.
                client.meta.events.register("before-send", self._wait_for_slot)
                self.clients[service] = client
            return self.clients[service]

    def _wait_for_slot(self, event_name, **_):
        """Holds an attempt until its API's rate limit allows it; returns None so that botocore
        sends the request itself."""
        limiter = self.limiters.get(event_name.rsplit(".", 1)[-1])
        if limiter is not None:
            limiter.wait()
        return None

    def workers(self, operation):
        """How many requests of one API may be in flight at once."""
        return max(1, min(self.concurrency, int(self.tps[operation]) or 1, 64))

    def call(self, service, operation, **params):
        """One API call; returns the response without ResponseMetadata, as the CLI prints it."""
        assert operation in self.operations[service], operation
        import botocore.exceptions
        with self.counts_lock:
            self.counts[operation] = self.counts.get(operation, 0) + 1
        what = f"{service}:{operation}{describe(params)}"
        method = getattr(self.client(service), snake_case(operation))
        try:
            response = self.within_deadline(what, lambda: self._call_retrying_unrecognised_throttling(method, **params))
        except botocore.exceptions.ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            message = error.response.get("Error", {}).get("Message", "")
            if code in ACCESS_DENIED:
                raise AccessDenied(f"access denied to {what}: {code}: {message}") from None
            raise CallFailed(f"{what} failed: {code}: {message}", code, message) from error
        except botocore.exceptions.BotoCoreError as error:
            raise CallFailed(f"{what} failed: {error}", type(error).__name__, str(error)) from error
        response.pop("ResponseMetadata", None)
        return response

    def _call_retrying_unrecognised_throttling(self, method, **params):
        """One call through botocore (which retries what it knows), asked again with backoff
        while it answers a throttling code botocore does not know."""
        import botocore.exceptions
        for attempt in range(self.max_attempts):
            try:
                return method(**params)
            except botocore.exceptions.ClientError as error:
                code = error.response.get("Error", {}).get("Code", "")
                if code not in UNRECOGNISED_THROTTLING or attempt == self.max_attempts - 1:
                    raise
                time.sleep(random.random() * min(MAX_BACKOFF_SECONDS, 2 ** attempt))
        raise AssertionError("unreachable")

    def within_deadline(self, what, function):
        """function() on a call thread, waited for until the call deadline; says on standard
        error each `notice` seconds that the call is still waiting."""
        job = self.runner.submit(function)
        started = time.monotonic()
        deadline, notice = started + self.deadlines.call, started + self.deadlines.notice
        while not job["done"].wait(max(0.0, min(deadline, notice) - time.monotonic())):
            now = time.monotonic()
            if now >= deadline:
                job["abandoned"] = True
                raise CallFailed(f"{what}: no complete answer within {self.deadlines.call:g} s (the call deadline, "
                                 "--call-timeout), retries included; the call is abandoned")
            if now >= notice:
                print(f"{PROGRAM}: still waiting for {printable(what, 200)} after {now - started:.0f} s",
                      file=sys.stderr, flush=True)
                notice += self.deadlines.notice
        if "error" in job:
            raise job["error"]
        return job["value"]

    def error_code(self, error):
        import botocore.exceptions
        cause = error.__cause__
        if isinstance(cause, botocore.exceptions.ClientError):
            return cause.response.get("Error", {}).get("Code", "")
        return ""

    def pages(self, service, operation, input_token, output_token, token=None, **params):
        """Yields (page, next_token) for each page; a resumed listing starts at `token`. A token
        that comes back is an error (CallFailed) raised before its page is yielded."""
        guard = TokenGuard(f"{service}:{operation}{describe(params)}", token)
        while True:
            if token is not None:
                params[input_token] = token
            page = self.call(service, operation, **params)
            token = page.get(output_token) or None
            if page.get("IsTruncated") is False:
                token = None
            guard.follow(token, output_token)
            yield page, token
            if token is None:
                return


def describe(params):
    """The parameters that name what a call was about (a thing, a policy), for an error message:
    not paging tokens, and not a request's payload (a batch of findings, a message)."""
    shown = {key: value for key, value in params.items()
             if key not in ("nextToken", "marker", "Marker", "NextToken")
             and isinstance(value, (str, int)) and len(str(value)) <= 256 and key != "Message"}
    if not shown:
        return ""
    return " (" + ", ".join(f"{key}={printable(str(value), 200)}" for key, value in shown.items()) + ")"
