"""Text from AWS, a plan or a report file is untrusted: this is the one place it is made safe for a
terminal before any of the Python programs prints it."""

import re

# What a terminal may act on, and what Python's text files and str.splitlines() take for a line end.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text, limit=None):
    """`text` (any value, as str) with control characters (C0, DEL, C1, line and paragraph
    separators) escaped as \\xNN or \\uNNNN, and at most `limit` characters of it kept."""
    text = str(text)
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    return CONTROL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                  else f"\\u{ord(m.group()):04x}", text)
