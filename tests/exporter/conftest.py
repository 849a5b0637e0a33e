"""Shared pieces of the exporter tests: where the programs are, a stub per test that checks at
teardown that every call it received is in the README's read-only IAM policy, and a helper that
runs fleetaudit-export against it the way a user would (a separate process, real boto3)."""

import json
import os
import re
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import aws_stub  # noqa: E402

SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", ".."))
EXPORTER = os.environ.get("FLEETAUDIT_EXPORT", os.path.join(SOURCE_DIR, "exporter", "fleetaudit-export"))
FLEETAUDIT = os.environ.get("FLEETAUDIT_BINARY", os.path.join(SOURCE_DIR, "build", "fleetaudit"))
# Debian's programs, not whatever comes first on PATH (a pyenv python or aws).
PYTHON = "/usr/bin/python3"
AWS_CLI = "/usr/bin/aws"


def readme_policy_actions(heading="## Exporting a snapshot"):
    """The actions of the first IAM policy in the README after `heading` (by default, the exporter's)."""
    with open(os.path.join(SOURCE_DIR, "README.md"), encoding="utf-8") as file:
        text = file.read()
    section = text[text.index(heading):]
    policy = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    return {action for statement in policy["Statement"] for action in statement["Action"]}


IAM_PREFIX = {"iot": "iot", "iam": "iam", "sts": "sts", "cognito-identity": "cognito-identity", "logs": "logs"}


def new_aws_env(tmp_path):
    """Credentials and configuration of a new user, isolated from the machine's own."""
    config = tmp_path / "aws-config"
    config.write_text("[default]\nregion = eu-west-1\n")
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
               AWS_CONFIG_FILE=str(config), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
               AWS_EC2_METADATA_DISABLED="true", AWS_PAGER="", NO_PROXY="127.0.0.1", no_proxy="127.0.0.1",
               TZ=os.environ.get("FLEETAUDIT_TEST_TZ", "America/Los_Angeles"))
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env.pop(proxy, None)
    return env


@pytest.fixture
def aws_env(tmp_path):
    return new_aws_env(tmp_path)


def started_stubs(new_stub):
    """The body of a stub fixture (`stubs = yield from started_stubs(Stub)`): yields make(*args, **knobs) -> a
    running new_stub(*args, **knobs); at teardown stops each, asserts it saw no stub bug, and returns them."""
    stubs = []

    def make(*args, **knobs):
        stub = new_stub(*args, **knobs).__enter__()
        stubs.append(stub)
        return stub
    yield make
    for stub in stubs:
        stub.__exit__(None, None, None)
        assert stub.bugs == []
    return stubs


@pytest.fixture
def make_stub():
    """make_stub(account, **knobs) -> a running Stub; at teardown: no stub bug, and every call read-only."""
    stubs = yield from started_stubs(aws_stub.Stub)
    allowed = readme_policy_actions()
    for stub in stubs:
        called = {f"{IAM_PREFIX[service]}:{operation}" for service, operation in stub.calls}
        assert called <= allowed, f"calls outside the README's IAM policy: {sorted(called - allowed)}"


def export_command(stub, out_dir, *args):
    return [PYTHON, EXPORTER, str(out_dir), "--endpoint-url", stub.url, "--region", stub.account.region,
            "--quota", "*=100000", *args]


def run_export(stub, out_dir, env, *args, timeout=300):
    return subprocess.run(export_command(stub, out_dir, *args), env=env, capture_output=True, text=True,
                          timeout=timeout)


def run_audit(snapshot, *args):
    return subprocess.run([FLEETAUDIT, "audit", str(snapshot), *args], capture_output=True, text=True, timeout=300)


def read_manifest(out_dir):
    with open(os.path.join(out_dir, "manifest.json"), encoding="utf-8") as file:
        return json.load(file)
