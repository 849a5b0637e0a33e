"""An untrusted JSON value checked against a shape of botocore's service model before it is sent:
each problem is named by its JSON path, so that a bad finding is refused by name rather than
failing its whole batch (or a whole run) at AWS."""

import botocore.loaders
import botocore.model

from .inputs import member_path, printable

# Deeper than any AWS shape a finding uses; a recursive shape cannot make the check recurse without end.
MAX_DEPTH = 48

PYTHON_TYPES = {"string": (str,), "blob": (str,), "boolean": (bool,), "integer": (int,), "long": (int,),
                "float": (int, float), "double": (int, float), "timestamp": (str, int, float),
                "structure": (dict,), "map": (dict,), "list": (list,)}
JSON_NAMES = {"string": "a string", "blob": "a base64 string", "boolean": "true or false",
              "integer": "an integer", "long": "an integer", "float": "a number", "double": "a number",
              "timestamp": "a time", "structure": "an object", "map": "an object", "list": "an array"}


def service_shape(service, shape_name):
    """One named shape of a service's model, as botocore (and so boto3's own check) reads it."""
    model = botocore.loaders.Loader().load_service_model(service, "service-2")
    return botocore.model.ServiceModel(model, service).shape_for(shape_name)


def shape_problems(value, shape, path, limit=20):
    """Up to `limit` problems of `value` against `shape`, each "JSON_PATH: what was expected"."""
    problems = []
    _check(value, shape, path, problems, limit, 0)
    return problems


def _check(value, shape, path, problems, limit, depth):
    if len(problems) >= limit:
        return
    if depth > MAX_DEPTH:
        problems.append(f"{path}: nested more deeply than {MAX_DEPTH} levels")
        return
    kind = shape.type_name
    if not isinstance(value, PYTHON_TYPES[kind]) or (kind in ("integer", "long", "float", "double")
                                                      and isinstance(value, bool)):
        problems.append(f"{path}: expected {JSON_NAMES[kind]}, found {json_type(value)}")
        return
    if kind == "structure":
        _check_structure(value, shape, path, problems, limit, depth)
    elif kind == "list":
        _check_length(len(value), shape, path, problems, "items")
        for index, item in enumerate(value):
            _check(item, shape.member, f"{path}[{index}]", problems, limit, depth + 1)
    elif kind == "map":
        for key, item in value.items():
            _check(item, shape.value, member_path(path, key), problems, limit, depth + 1)
    elif kind == "string":
        _check_length(len(value), shape, path, problems, "characters")
        if shape.enum and value not in shape.enum:
            problems.append(f"{path}: \"{printable(value)}\" is not one of {', '.join(shape.enum)}")
    elif kind in ("integer", "long", "float", "double"):
        _check_range(value, shape, path, problems)


def _check_structure(value, shape, path, problems, limit, depth):
    for name in shape.required_members:
        if name not in value:
            problems.append(f"{path}: required member {name} is missing")
    for name, item in value.items():
        member = shape.members.get(name)
        if member is None:
            problems.append(f"{member_path(path, name)}: not a member of {shape.name}")
        else:
            _check(item, member, member_path(path, name), problems, limit, depth + 1)


def _check_length(length, shape, path, problems, unit):
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and length < low:
        problems.append(f"{path}: at least {low} {unit} expected, found {length}")
    if high is not None and length > high:
        problems.append(f"{path}: at most {high} {unit} expected, found {length}")


def _check_range(number, shape, path, problems):
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if (low is not None and number < low) or (high is not None and number > high):
        problems.append(f"{path}: {number} is outside {low if low is not None else '-inf'}.."
                        f"{high if high is not None else 'inf'}")


def json_type(value):
    if value is None:
        return "null"
    return {bool: "true or false", str: "a string", int: "a number", float: "a number",
            dict: "an object", list: "an array"}.get(type(value), type(value).__name__)
