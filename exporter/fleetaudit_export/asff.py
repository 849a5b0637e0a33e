"""Reads `{"Findings": [AwsSecurityFinding...]}` (what BatchImportFindings takes) one finding at a
time, so that an 850,000-finding report is imported in bounded memory, and cuts it into the
batches Security Hub accepts. The file is untrusted: every finding is checked against botocore's
AwsSecurityFinding shape and Security Hub's size limit, and errors name the file, line, column
and JSON path; the work per finding is bounded, so a hostile file cannot make it hang."""

import codecs
import hashlib
import json
import re

from .inputs import SHOWN_ID_CHARACTERS, InputError, line_and_column, printable
from .shapes import service_shape, shape_problems

# Security Hub's limits (BatchImportFindings): at most 100 findings and 6 MB a call, 240 KB a
# finding. Sizes are the bytes botocore sends (json.dumps with its defaults); "KB" and "MB" are
# read as the smaller, decimal, units so that nothing we send can be over either reading.
MAX_FINDINGS_PER_BATCH = 100
MAX_BATCH_BYTES = 6_000_000
MAX_FINDING_BYTES = 240_000
BATCH_OVERHEAD = len('{"Findings": []}')
SEPARATOR_BYTES = len(", ")
# One finding's text in the file (indentation included) may be at most this long: past it, it
# is refused without reading further.
MAX_FINDING_TEXT = 16 * MAX_FINDING_BYTES
READ_BYTES = 1 << 20
MAX_PROBLEMS_SHOWN = 20
WHITE_SPACE = re.compile(r"[ \t\r\n]*")


def finding_size(finding):
    """The bytes a finding takes in BatchImportFindings' request body."""
    return len(json.dumps(finding))


class FindingReader:
    """Iterates (index, finding) over one file; `sha256` is the digest of the bytes read so far."""

    def __init__(self, path):
        self.path = path
        try:
            self.file = open(path, "rb")
        except OSError as error:
            raise InputError(f"{path}: {error.strerror}") from None
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.digest = hashlib.sha256()
        self.text = ""              # the unread window of the file
        self.position = 0           # where we are in self.text
        self.dropped_lines = 0      # what was read before the window, to place an error
        self.dropped_columns = 0
        self.at_end = False
        self.bytes_read = 0

    def close(self):
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def sha256(self):
        return self.digest.hexdigest()

    def __iter__(self):
        self._expect_text("{")
        if self._peek() != '"':
            self._fail('expected the member "Findings"')
        key = self._value("a member name")
        if key != "Findings":
            self._fail(f'expected the member "Findings" first, found {printable(json.dumps(key))}')
        self._expect_text(":")
        self._expect_text("[")
        index = 0
        if self._peek() == "]":
            self.position += 1
        else:
            while True:
                yield index, self._finding(index)
                index += 1
                separator = self._peek()
                self.position += 1
                if separator == "]":
                    break
                if separator != ",":
                    self._fail(f"$.Findings: expected , or ] after $.Findings[{index - 1}]", self.position - 1)
        self._expect_text("}", "the end of the object (only \"Findings\" is expected)")
        if self._peek() != "":
            self._fail("expected the end of the file after the object")

    def _finding(self, index):
        if self._peek() != "{":
            self._fail(f"$.Findings[{index}]: expected a finding (an object)")
        finding = self._value(f"$.Findings[{index}]", limit=MAX_FINDING_TEXT)
        self._forget_read_text()
        return finding

    def _value(self, what, limit=MAX_FINDING_TEXT):
        """Decodes the JSON value at the current position, reading more of the file as needed."""
        self._peek()
        while True:
            try:
                value, end = DECODER.raw_decode(self.text, self.position)
                self.position = end
                return value
            except RecursionError:
                self._fail(f"{what}: nested too deeply")
            except json.JSONDecodeError as error:
                if self.at_end or not _may_be_cut_off(error, self.text):
                    self._fail(f"{what}: {error.msg}", error.pos)
                if len(self.text) - self.position > limit:
                    self._fail(f"{what}: more than {limit:,} characters: over Security Hub's "
                               f"{MAX_FINDING_BYTES:,} bytes a finding")
                self._read(max(READ_BYTES, len(self.text) - self.position))
            except ValueError as error:  # a number JSON cannot carry (NaN, 1e999, 5000 digits)
                self._fail(f"{what}: {error}")

    def _peek(self):
        """The next character that is not white space ("" at the end of the file)."""
        while True:
            self.position = WHITE_SPACE.match(self.text, self.position).end()
            if self.position < len(self.text) or self.at_end:
                return self.text[self.position:self.position + 1]
            self._forget_read_text()  # white space alone must not fill memory either
            self._read(READ_BYTES)

    def _expect_text(self, expected, description=None):
        if self._peek() != expected:
            self._fail(f"expected {description or expected}")
        self.position += 1

    def _read(self, size):
        chunk = self.file.read(size)
        self.digest.update(chunk)
        try:
            self.text += self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            raise InputError(f"{self.path}: byte {self.bytes_read + error.start:,}: not UTF-8 text") from None
        self.bytes_read += len(chunk)
        self.at_end = not chunk

    def _forget_read_text(self):
        """Drops the text already decoded (memory stays that of one finding), keeping only what
        places a later error: the lines dropped, and the characters dropped from the current line."""
        newlines = self.text.count("\n", 0, self.position)
        if newlines:
            self.dropped_lines += newlines
            self.dropped_columns = self.position - self.text.rfind("\n", 0, self.position) - 1
        else:
            self.dropped_columns += self.position
        self.text = self.text[self.position:]
        self.position = 0

    def _fail(self, message, offset=None):
        offset = self.position if offset is None else offset
        line, column = line_and_column(self.text, offset)
        if line == 1:
            column += self.dropped_columns
        raise InputError(f"{self.path}:{line + self.dropped_lines}:{column}: {message}")


def _may_be_cut_off(error, text):
    """Whether a decoding error may only mean that the window ends inside the value (the
    decoder reports a cut-off literal or number where it starts: allow the longest, -Infinity)."""
    return error.pos >= len(text) - 16 or error.msg.startswith("Unterminated string")


def _refuse_number(text):
    raise ValueError(f"{printable(text)} is not a number JSON can carry")


def _finite_float(text):
    number = float(text)
    if number in (float("inf"), float("-inf")):
        _refuse_number(text)
    return number


DECODER = json.JSONDecoder(parse_constant=_refuse_number, parse_float=_finite_float)

FINDING_SHAPE = service_shape("securityhub", "AwsSecurityFinding")


def finding_problems(finding, index):
    """What makes one finding unimportable: its shape, then its size (a finding over the limit is
    refused by its Id)."""
    path = f"$.Findings[{index}]"
    problems = shape_problems(finding, FINDING_SHAPE, path)
    if not problems:
        size = finding_size(finding)
        if size > MAX_FINDING_BYTES:
            name = printable(finding["Id"], SHOWN_ID_CHARACTERS)
            problems.append(f"{path}: the finding \"{name}\" is {size:,} bytes, over Security Hub's limit of "
                            f"{MAX_FINDING_BYTES:,} bytes a finding")
    return problems


class Batcher:
    """Cuts findings, in file order, into batches of at most MAX_FINDINGS_PER_BATCH and
    MAX_BATCH_BYTES: the same file always gives the same batches, so a journal can name them by
    the index of their first finding."""

    def __init__(self):
        self.count, self.bytes = 0, BATCH_OVERHEAD

    def starts_new_batch(self, size):
        """Whether a finding of `size` bytes must open a new batch (and counts it in)."""
        added = size + (SEPARATOR_BYTES if self.count else 0)
        if self.count and (self.count == MAX_FINDINGS_PER_BATCH or self.bytes + added > MAX_BATCH_BYTES):
            self.count, self.bytes = 1, BATCH_OVERHEAD + size
            return True
        self.count, self.bytes = self.count + 1, self.bytes + added
        return self.count == 1


class Survey:
    """The first pass over a file: every problem (the first MAX_PROBLEMS_SHOWN of them shown),
    the number of findings and batches, the regions of their ProductArns and the file's digest."""

    def __init__(self, path):
        self.path, self.findings, self.batches, self.problems, self.problem_count = path, 0, 0, [], 0
        self.regions, self.sha256 = set(), ""
        batcher = Batcher()
        with FindingReader(path) as reader:
            for index, finding in reader:
                self._survey_finding(index, finding, batcher)
            self.sha256 = reader.sha256()

    def _survey_finding(self, index, finding, batcher):
        self.findings += 1
        problems = finding_problems(finding, index)
        if problems:
            self.problem_count += len(problems)
            self.problems.extend(problems[:MAX_PROBLEMS_SHOWN - len(self.problems)])
            return
        self.batches += batcher.starts_new_batch(finding_size(finding))
        parts = finding["ProductArn"].split(":")
        if len(parts) > 3:
            self.regions.add(parts[3])


def batches(path, first_finding=0):
    """Yields (index of the first finding, [findings]) for each batch, from the batch that starts
    at `first_finding` (a journal's resume point) on. Only a surveyed file may be given: a
    problem found here (the file changed since) stops the import."""
    batcher, batch, start = Batcher(), [], 0
    with FindingReader(path) as reader:
        for index, finding in reader:
            problems = finding_problems(finding, index)
            if problems:
                raise InputError(f"{path}: changed while being imported: {problems[0]}")
            if batcher.starts_new_batch(finding_size(finding)) and batch:
                if start >= first_finding:
                    yield start, batch
                batch, start = [], index
            batch.append(finding)
        if batch and start >= first_finding:
            yield start, batch
