#!/usr/bin/python3
"""Times `fleetaudit lint` on N generated small IaC files (default 10,000): a third CloudFormation
YAML templates (a !Sub block-scalar policy, attachments, logging), a third CloudFormation JSON
templates (PolicyDocument as a JSON string), a third plain policy documents; some of each broad.
Prints files/s and MB/s of the best of --runs runs. Usage: bench/lint_bench.py [--files N] [--runs R]
[--binary build/fleetaudit]"""
import argparse
import json
import pathlib
import subprocess
import tempfile
import time

YAML_TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  DevicePolicy{i}:
    Type: AWS::IoT::Policy
    Properties:
      PolicyName: device-{i}
      PolicyDocument: !Sub |
        {{"Version": "2012-10-17", "Statement": [
          {{"Effect": "Allow", "Action": "iot:Connect",
           "Resource": "arn:aws:iot:${{AWS::Region}}:${{AWS::AccountId}}:client/{client}"}},
          {{"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
           "Resource": "arn:aws:iot:${{AWS::Region}}:${{AWS::AccountId}}:topic/devices/${{!iot:Connection.Thing.ThingName}}/*"}}]}}
  Certificate{i}:
    Type: AWS::IoT::Certificate
    Properties: {{CertificateSigningRequest: csr, Status: ACTIVE}}
  Attachment{i}:
    Type: AWS::IoT::ThingPrincipalAttachment
    Properties: {{Principal: !GetAtt Certificate{i}.Arn, ThingName: thing-{i}}}
  Logging{i}:
    Type: AWS::IoT::Logging
    Properties: {{AccountId: !Ref AWS::AccountId, RoleArn: arn:aws:iam::123456789012:role/l, DefaultLogLevel: {level}}}
"""


def policy(i, broad):
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iot:Connect",
         "Resource": f"arn:aws:iot:us-east-1:123456789012:client/{'*' if broad else '${iot:Connection.Thing.ThingName}'}"},
        {"Effect": "Allow", "Action": ["iot:Subscribe"],
         "Resource": f"arn:aws:iot:us-east-1:123456789012:topicfilter/fleet/{i}/#"}]}


def generate(directory, count):
    for i in range(count):
        broad = i % 7 == 0
        kind = i % 3
        if kind == 0:
            text = YAML_TEMPLATE.format(i=i, client="*" if broad else "${!iot:Connection.Thing.ThingName}",
                                        level="DISABLED" if broad else "ERROR")
            name = f"stack-{i}.yaml"
        elif kind == 1:
            text = json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {f"Policy{i}": {
                "Type": "AWS::IoT::Policy", "Properties": {"PolicyName": f"p-{i}",
                                                           "PolicyDocument": json.dumps(policy(i, broad))}}}}, indent=2)
            name = f"stack-{i}.json"
        else:
            text = json.dumps(policy(i, broad), indent=2)
            name = f"policy-{i}.json"
        sub = directory / f"team-{i % 50}"
        sub.mkdir(exist_ok=True)
        (sub / name).write_text(text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--binary", default="build/fleetaudit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = pathlib.Path(scratch) / "repo"
        root.mkdir()
        generate(root, args.files)
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
        best = None
        for _ in range(args.runs):
            start = time.perf_counter()
            run = subprocess.run([args.binary, "lint", str(root), "--format", "sarif", "--output",
                                  str(pathlib.Path(scratch) / "out.sarif")], capture_output=True)
            elapsed = time.perf_counter() - start
            if run.returncode not in (0, 1):
                raise SystemExit(f"fleetaudit lint exited {run.returncode}: {run.stderr.decode()[:2000]}")
            best = elapsed if best is None else min(best, elapsed)
        results = len(json.loads((pathlib.Path(scratch) / "out.sarif").read_text())["runs"][0]["results"])
        print(f"{args.files} files, {size / 1e6:.2f} MB, {results} results: best of {args.runs} runs {best:.2f} s "
              f"= {args.files / best:.0f} files/s, {size / 1e6 / best:.2f} MB/s")


main()
