"""Argument types the exporter's command lines share (fleetaudit-export, fleetaudit-apply)."""

import argparse


def positive(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def quota_type(operations_by_service):
    """An argparse type for API=REQUESTS_PER_SECOND (or *=TPS), knowing the APIs a command calls."""
    known = {op for ops in operations_by_service.values() for op in ops}

    def quota(text):
        operation, _, value = text.partition("=")
        if operation != "*" and operation not in known:
            raise argparse.ArgumentTypeError(f"unknown API {operation!r}; known: {', '.join(sorted(known))}")
        try:
            number = float(value)
        except ValueError:
            number = 0
        if not number > 0:  # also refuses nan, which `number <= 0` lets through
            raise argparse.ArgumentTypeError(f"{text!r}: expected API=REQUESTS_PER_SECOND with a positive number")
        return operation, number

    return quota
