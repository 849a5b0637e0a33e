"""The organization flow end to end, as the README runs it: fleetaudit-export --organization against
the loopback stub (real boto3), then `fleetaudit plan-jobs`, the audit on one machine
(`fleetaudit audit OUT_DIR`) and the job fan-out (one `fleetaudit audit SNAPSHOT` process per
matrix entry under `xargs -P 2`, then `fleetaudit merge`), compared byte for byte."""

import json
import os
import re
import subprocess

import pytest
import yaml
from conftest import FLEETAUDIT, SOURCE_DIR, new_aws_env
from organization_stub import OrganizationStub
from test_organization import CLOCK, REGIONS, member_id, organization, run_organization

ACCOUNTS = 6  # members 0-5: 1 throttles, 2 has no IoT, 3 has not enabled us-east-1, 4 has no role


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """OUT_DIR of the stub organization's export (exit status 1: members 3 and 4 fail)."""
    base = tmp_path_factory.mktemp("organization")
    management, members = organization(accounts=ACCOUNTS)
    with OrganizationStub(management, members) as stub:
        result = run_organization(stub, base / "org", new_aws_env(base), "--regions", ",".join(REGIONS))
        assert stub.bugs == []
    assert result.returncode == 1, result.stderr
    return base / "org"


def fleetaudit(*args, check=(0, 1), cwd=None):
    result = subprocess.run([FLEETAUDIT, *map(str, args)], capture_output=True, text=True, timeout=300, cwd=cwd)
    assert result.returncode in check, result.stderr
    return result


def exported_snapshots(out_dir):
    record = json.loads((out_dir / "organization.json").read_text())
    return sorted((account["accountId"], region["region"]) for account in record["accounts"]
                  for region in account["regions"] if region["result"] == "complete")


def test_the_matrix_holds_every_exported_snapshot_and_names_the_failed_accounts(exported):
    result = fleetaudit("plan-jobs", exported, "--format", "github-matrix", check=(1,))
    matrix = json.loads(result.stdout)
    assert result.stdout.count("\n") == 1
    entries = [(entry["account"], entry["region"]) for entry in matrix["include"]]
    assert entries == exported_snapshots(exported)
    assert len(entries) == 2 * ACCOUNTS - 3  # member 3 in us-east-1 and member 4 in both regions
    assert all(entry["snapshot"] == f"{entry['account']}/{entry['region']}" for entry in matrix["include"])
    assert f"{member_id(4)}: the account could not be exported: " in result.stderr and "AccessDenied" in result.stderr
    assert f"{member_id(3)} in us-east-1: the account could not be exported: " in result.stderr
    assert "UnrecognizedClientException" in result.stderr


def test_the_kubernetes_plan_is_an_indexed_job_over_the_same_snapshots(exported):
    matrix = json.loads(fleetaudit("plan-jobs", exported, check=(1,)).stdout)["include"]
    result = fleetaudit("plan-jobs", exported, "--format", "kubernetes", "--parallelism", "3", "--image",
                        "registry.example.com/fleetaudit:0.1.0", check=(1,))
    documents = yaml.safe_load(result.stdout)  # JSON is YAML; kubectl apply -f reads either
    assert documents["apiVersion"] == "v1" and documents["kind"] == "List"
    config_map, job = documents["items"]
    assert config_map["kind"] == "ConfigMap" and config_map["metadata"]["name"] == "fleetaudit-audit-plan"
    assert config_map["data"] == {str(index): entry["snapshot"] for index, entry in enumerate(matrix)}
    assert job["apiVersion"] == "batch/v1" and job["kind"] == "Job"
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    assert spec["completions"] == len(matrix) and spec["parallelism"] == 3
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    (container,) = pod["containers"]
    assert container["image"] == "registry.example.com/fleetaudit:0.1.0"
    assert container["command"][:2] == ["/bin/sh", "-c"]
    assert not any(entry["account"] in container["command"][2] for entry in matrix)
    mounts = {mount["mountPath"]: mount for mount in container["volumeMounts"]}
    assert mounts["/organization"]["readOnly"] is True and mounts["/plan"]["readOnly"] is True
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    assert volumes["plan"]["configMap"]["name"] == config_map["metadata"]["name"]
    assert volumes["organization"]["persistentVolumeClaim"]["claimName"] == "fleetaudit-organization"


def test_the_kubernetes_script_audits_the_snapshot_of_its_index(exported, tmp_path):
    """The container's script, run here with /bin/sh: index -> ConfigMap file -> fleetaudit audit."""
    documents = yaml.safe_load(fleetaudit("plan-jobs", exported, "--format", "kubernetes", check=(1,)).stdout)
    config_map, job = documents["items"]
    script = job["spec"]["template"]["spec"]["containers"][0]["command"][2]
    plan = tmp_path / "plan"
    plan.mkdir()
    for key, folder in config_map["data"].items():
        (plan / key).write_text(folder)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "fleetaudit").symlink_to(FLEETAUDIT)
    # The pod's paths (/plan, /organization, /reports) mapped onto this test's folders.
    local = script.replace("/plan/", f"{plan}/").replace("/organization/", f"{exported}/") \
                  .replace("/reports/", f"{tmp_path}/")
    last = len(config_map["data"]) - 1
    result = subprocess.run(["/bin/sh", "-c", local], env={"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin",
                                                           "JOB_COMPLETION_INDEX": str(last)},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    alone = fleetaudit("audit", exported / config_map["data"][str(last)], "--format", "json").stdout
    assert (tmp_path / f"job-{last}.json").read_text() == alone


def account_of(finding):
    """(account, region) a finding of an organization report belongs to."""
    return finding["accountId"], finding["region"]


def without_account(finding):
    """A finding without what names its snapshot (an organization report adds the snapshot's folder)."""
    return {key: value for key, value in finding.items() if key not in ("accountId", "region", "snapshot")}


def test_auditing_out_dir_finds_in_each_account_what_auditing_it_alone_finds(exported):
    together = json.loads(fleetaudit("audit", exported, "--format", "json", "--now", CLOCK, check=(0, 1, 2)).stdout)
    by_account = {}
    for finding in together["findings"]:
        by_account.setdefault(account_of(finding), []).append(without_account(finding))
    assert set(by_account) <= set(exported_snapshots(exported))
    for account, region in exported_snapshots(exported):
        alone = json.loads(fleetaudit("audit", exported / account / region, "--format", "json", "--now",
                                      CLOCK).stdout)
        assert by_account.get((account, region), []) == [without_account(f) for f in alone["findings"]], \
            (account, region)
        assert all(account_of(finding) == (account, region) for finding in alone["findings"])
    assert any(by_account.values()), "the synthetic fleets are built to have findings"


def fan_out(out_dir, jobs_dir):
    """The README's audit fan-out, locally: each matrix entry a separate process, two at a time."""
    matrix = json.loads(fleetaudit("plan-jobs", out_dir, check=(1,)).stdout)["include"]
    lines = "".join(f"{entry['snapshot']} {number:03d}\n" for number, entry in enumerate(matrix))
    jobs_dir.mkdir()
    result = subprocess.run(["xargs", "-P", "2", "-L", "1", "sh", "-c",
                             '"$0" audit "$1/$3" --format json --now "$2" --output "$1.jobs/job-$4.json"; [ $? -le 1 ]',
                             FLEETAUDIT, str(out_dir), CLOCK],
                            input=lines, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    reports = sorted(jobs_dir.glob("job-*.json"))
    assert len(reports) == len(matrix)
    return reports


@pytest.mark.parametrize("report_format", ["json", "sarif", "text"])
def test_the_fan_out_merged_equals_auditing_on_one_machine(exported, report_format):
    jobs_dir = exported.parent / "org.jobs"
    reports = sorted(jobs_dir.glob("job-*.json")) if jobs_dir.exists() else fan_out(exported, jobs_dir)
    single = fleetaudit("audit", exported, "--format", report_format, "--now", CLOCK, check=(0, 1, 2))
    # organization.json names the accounts that have no report, as audit OUT_DIR names them.
    merged = fleetaudit("merge", *reports, exported / "organization.json", "--format", report_format, check=(0, 1, 2))
    assert merged.stdout == single.stdout
    assert merged.returncode == single.returncode


def readme_workflow():
    """The GitHub Actions workflow of the README's "Running an organization audit as jobs"."""
    with open(os.path.join(SOURCE_DIR, "README.md"), encoding="utf-8") as file:
        text = file.read()
    section = text[text.index("### Running an organization audit as jobs"):]
    section = section[:section.index("\n## ")]
    return yaml.safe_load(re.search(r"```yaml\n(.*?)```", section, re.S).group(1))


def step_running(job, command):
    (step,) = [step for step in job["steps"] if command in step.get("run", "")]
    return step


def test_the_readme_workflow_is_valid_and_keeps_matrix_values_out_of_scripts():
    workflow = readme_workflow()
    assert set(workflow) == {"name", True, "permissions", "env", "jobs"}  # YAML 1.1 reads `on:` as True
    jobs = workflow["jobs"]
    assert list(jobs) == ["accounts", "export", "plan", "audit", "merge"]
    assert [jobs[name].get("needs") for name in jobs] == [None, "accounts", "export", "plan", "audit"]
    assert jobs["audit"]["strategy"]["matrix"] == "${{ fromJSON(needs.plan.outputs.matrix) }}"
    assert jobs["plan"]["outputs"]["matrix"] == "${{ steps.plan.outputs.matrix }}"
    assert jobs["plan"]["if"] == jobs["merge"]["if"] == "always()"
    for name, job in jobs.items():
        assert job["runs-on"] == "ubuntu-latest"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), (name, step)
            # A value pasted into a script is a script injection; env: passes it as data.
            assert "${{" not in step.get("run", ""), (name, step["run"])
    assert "--organization --accounts account.txt" in step_running(jobs["export"], "fleetaudit-export")["run"]


def run_step(step, cwd, env=()):
    """A workflow step's script, run with bash -e as GitHub runs it; returns what it wrote to $GITHUB_OUTPUT."""
    (cwd / "bin").mkdir(exist_ok=True)
    if not (cwd / "bin" / "fleetaudit").exists():
        (cwd / "bin" / "fleetaudit").symlink_to(FLEETAUDIT)
    output = cwd / "github-output"
    output.write_text("")
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, capture_output=True, text=True, timeout=300,
                            env={"PATH": f"{cwd / 'bin'}:/usr/bin:/bin", "GITHUB_OUTPUT": str(output), **dict(env)})
    assert result.returncode == 0, result.stderr
    return dict(line.split("=", 1) for line in output.read_text().splitlines())


def test_the_readme_workflow_plans_and_audits_the_exported_organization(exported, tmp_path):
    jobs = readme_workflow()["jobs"]
    (tmp_path / "org").symlink_to(exported)
    outputs = run_step(step_running(jobs["plan"], "plan-jobs"), tmp_path)
    matrix = json.loads(outputs["matrix"])
    assert [(entry["account"], entry["region"]) for entry in matrix["include"]] == exported_snapshots(exported)
    entry = matrix["include"][-1]
    audit = step_running(jobs["audit"], "fleetaudit audit")
    run_step(audit, tmp_path, {"SNAPSHOT": entry["snapshot"]})
    report = tmp_path / "reports" / f"{entry['account']}-{entry['region']}.json"
    # The report names the snapshot as the step gave it (org/ACCOUNT/REGION, from the workspace).
    alone = fleetaudit("audit", f"org/{entry['snapshot']}", "--format", "json", cwd=tmp_path).stdout
    assert report.read_text() == alone


def test_the_readme_workflow_merges_the_audit_reports(exported, tmp_path):
    jobs = readme_workflow()["jobs"]
    (tmp_path / "org").symlink_to(exported)
    matrix = json.loads(run_step(step_running(jobs["plan"], "plan-jobs"), tmp_path)["matrix"])
    for entry in matrix["include"]:
        run_step(step_running(jobs["audit"], "fleetaudit audit"), tmp_path, {"SNAPSHOT": entry["snapshot"]})
    (tmp_path / "records" / "all").mkdir(parents=True)
    (tmp_path / "records" / "all" / "organization.json").write_text((exported / "organization.json").read_text())
    run_step(step_running(jobs["merge"], "fleetaudit merge"), tmp_path)
    single = fleetaudit("audit", "org", "--format", "sarif", check=(0, 1, 2), cwd=tmp_path)
    assert (tmp_path / "organization.sarif").read_text() == single.stdout
    assert (tmp_path / "organization.html").stat().st_size > 0
