"""JSON text exactly as the AWS CLI v2 prints it (`--output json`), written as records arrive."""

import json
import os


def cli_json(value):
    """What `aws ... --output json` prints for `value` (awscli/formatter.py: indent 4, UTF-8 kept)."""
    return json.dumps(value, indent=4, ensure_ascii=False) + "\n"


def _indented(value, spaces):
    # JSON strings hold no raw newline, so re-indenting line by line cannot touch a value.
    pad = " " * spaces
    return "\n".join(pad + line for line in json.dumps(value, indent=4, ensure_ascii=False).split("\n"))


class ArrayFileWriter:
    """Streams `{"KEY": [record, ...]}` to `path`, byte for byte what cli_json() of the whole
    object would give, holding one record at a time. `count` and `offset` are a checkpoint:
    reopening with them truncates whatever was written after it (a record half written when
    the process died) and continues, so a resumed file never holds a record twice."""

    def __init__(self, path, key, count=0, offset=None):
        self.path, self.key, self.count = path, key, count
        header = ("{\n    " + json.dumps(key) + ": [\n").encode()
        if offset is None or not os.path.exists(path):
            self.file = open(path, "wb")
            self.file.write(header)
            self.count = 0
        else:
            self.file = open(path, "r+b")
            self.file.truncate(offset)
            self.file.seek(offset)

    def write(self, record):
        text = ("" if self.count == 0 else ",\n") + _indented(record, 8)
        self.file.write(text.encode())
        self.count += 1

    def checkpoint(self):
        """Flushes and returns (count, offset) to store; data up to offset is on disk."""
        self.file.flush()
        os.fsync(self.file.fileno())
        return self.count, self.file.tell()

    def finish(self):
        if self.count == 0:
            self.file.seek(0)
            self.file.truncate()
            self.file.write(cli_json({self.key: []}).encode())
        else:
            self.file.write(b"\n    ]\n}\n")
        self.file.close()

    def abandon(self):
        self.file.close()


class UnwritableLine(ValueError):
    """A value that one line of a names file cannot hold as it is (a control character in it)."""

    def __init__(self, character):
        super().__init__(f"U+{ord(character):04X}")
        self.character = character


class LineFileWriter:
    """Streams lines (thing names, log messages); checkpointed like ArrayFileWriter. With
    `refuse` (a compiled pattern), a line holding a character it matches is refused
    (UnwritableLine) rather than written split or altered; a newline is always refused."""

    def __init__(self, path, count=0, offset=None, refuse=None):
        self.path, self.count, self.refuse = path, count, refuse
        if offset is None or not os.path.exists(path):
            self.file = open(path, "wb")
            self.count = 0
        else:
            self.file = open(path, "r+b")
            self.file.truncate(offset)
            self.file.seek(offset)

    def write(self, line):
        found = self.refuse.search(line) if self.refuse else None
        if found or "\n" in line:
            raise UnwritableLine(found.group() if found else "\n")
        self.file.write(line.encode() + b"\n")
        self.count += 1

    def checkpoint(self):
        self.file.flush()
        os.fsync(self.file.fileno())
        return self.count, self.file.tell()

    def finish(self):
        self.file.close()

    abandon = finish


def write_json_file(path, value):
    """Writes a whole small file atomically (tmp + rename)."""
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as file:
        file.write(cli_json(value))
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
