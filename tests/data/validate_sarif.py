#!/usr/bin/python3
"""Validate SARIF files against the OASIS 2.1.0 schema. Exit 0 when every file is valid."""
import json
import pathlib
import sys

import jsonschema

schema_path = pathlib.Path(__file__).with_name("sarif-schema-2.1.0.json")
schema = json.loads(schema_path.read_text())
validator = jsonschema.Draft4Validator(schema)
failed = False
for name in sys.argv[1:]:
    document = json.loads(pathlib.Path(name).read_text())
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    for error in errors[:20]:
        print(f"{name}: {'/'.join(str(p) for p in error.path)}: {error.message}")
    failed = failed or bool(errors)
sys.exit(1 if failed else 0)
