"""What the publisher reads is untrusted (a report file, AWS's answers): errors name the file and
the JSON path, and any text from the input is escaped and cut short before it reaches a terminal."""

import json

from . import terminal

SHOWN_CHARACTERS = 120
# A finding's Id is shown whole: Security Hub allows 512 characters, and a cut Id names nothing.
SHOWN_ID_CHARACTERS = 512


class InputError(Exception):
    """The input file is unusable: nothing is sent (exit status 2)."""


def printable(text, limit=SHOWN_CHARACTERS):
    """`text` safe to print (terminal.printable), cut to `limit` characters: still recognisable."""
    return terminal.printable(text, limit)


def member_path(path, name):
    """The JSON path of an object member: $.a.b, or $["odd name"] when the name is not an identifier."""
    if name.isidentifier() and name.isascii():
        return f"{path}.{name}"
    return f"{path}[{json.dumps(name[:SHOWN_CHARACTERS])}]"


def line_and_column(text, offset):
    """1-based line and column of a character offset (counted only when an error is reported)."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
