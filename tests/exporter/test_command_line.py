"""The command line's promises: the README's IAM policy is exactly what the exporter calls, the
version is the project's, --dry-run plans without writing, and misuse is refused with status 2."""

import os
import re
import subprocess
import sys

from account import synthetic
from conftest import EXPORTER, PYTHON, SOURCE_DIR, readme_policy_actions, run_export

sys.path.insert(0, os.path.join(SOURCE_DIR, "exporter"))
import fleetaudit_export  # noqa: E402
from fleetaudit_export.calls import OPERATIONS  # noqa: E402


def test_the_readme_policy_lists_exactly_the_operations_the_exporter_may_call():
    assert readme_policy_actions() == {f"{service}:{op}" for service, ops in OPERATIONS.items() for op in ops}


def test_the_version_is_the_projects():
    with open(os.path.join(SOURCE_DIR, "CMakeLists.txt"), encoding="utf-8") as file:
        project_version = re.search(r"project\(fleetaudit VERSION (\S+)", file.read()).group(1)
    assert fleetaudit_export.__version__ == project_version
    result = subprocess.run([PYTHON, EXPORTER, "--version"], capture_output=True, text=True)
    assert result.stdout.strip() == f"fleetaudit-export {project_version}"


def test_dry_run_counts_the_account_with_listing_calls_only_and_writes_nothing(tmp_path, make_stub, aws_env):
    stub = make_stub(synthetic(40))
    out = tmp_path / "out"

    result = run_export(stub, out, aws_env, "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "things 40" in result.stdout and re.search(r"DescribeCertificate\s+40\b", result.stdout)
    assert "estimated time" in result.stdout
    assert {op for _, op in stub.calls} <= {"GetCallerIdentity", "ListThings", "ListCertificates",
                                            "ListCACertificates", "ListPolicies", "ListThingGroups", "ListRoleAliases"}
    assert not out.exists()


def test_dry_run_for_an_assumed_fleet_makes_no_call(aws_env):
    result = subprocess.run([PYTHON, EXPORTER, "unused", "--region", "eu-west-1", "--endpoint-url",
                             "http://127.0.0.1:9", "--dry-run", "--assume-things", "1000000"],
                            env=aws_env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert re.search(r"ListThingPrincipals\s+1,000,000", result.stdout)
    assert re.search(r"calls; estimated time \d+ h", result.stdout)


def test_an_occupied_directory_or_nothing_to_resume_is_refused(tmp_path, make_stub, aws_env):
    stub = make_stub(synthetic(1))
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("mine")

    refused = run_export(stub, occupied, aws_env)
    nothing = run_export(stub, tmp_path / "empty", aws_env, "--resume")

    assert refused.returncode == 2 and "not empty" in refused.stderr
    assert nothing.returncode == 2 and "no unfinished export" in nothing.stderr
    assert (occupied / "notes.txt").read_text() == "mine"
