#!/usr/bin/env bash
# Lists the functions in analyzer/ (or the folders or files given) longer than LIMIT lines
# (default 80), longest first: "LINES FILE:LINE NAME". A brace counter, not a compiler: comments,
# string and character literals (raw strings too) are blanked first, then every '{' whose enclosing
# scope is a namespace, class or the file and whose header ends like a signature ("...)",
# "...) const", "-> T", "noexcept") opens a function; its length runs from the header's first line
# to the closing brace. Lambdas and local classes count toward the function holding them.
# Exit status: 0 none over the limit, 1 some (so CI can use it), 2 usage error.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${LIMIT:-80}
[[ $limit =~ ^[0-9]+$ ]] || { echo "long-functions.sh: LIMIT must be a number" >&2; exit 2; }
if [ $# -eq 0 ]; then set -- analyzer; fi
find "$@" -type f \( -name '*.cpp' -o -name '*.h' \) -print0 | sort -z |
  /usr/bin/python3 -c '
import re, sys

def blank(text):
    """Comments and literals become spaces (newlines kept) so braces inside them do not count."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i)); i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif c == "R" and text.startswith("R\"", i) and (i == 0 or not (text[i-1].isalnum() or text[i-1] == "_")):
            open_paren = text.find("(", i + 2)
            delimiter = text[i + 2:open_paren]
            j = text.find(")" + delimiter + "\"", open_paren)
            j = n if j < 0 else j + len(delimiter) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif c in "\"\x27" and not (c == "\x27" and i > 0 and text[i-1].isalnum()):  # not a digit separator
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + " " * (j - i - 2) + (c if j - i >= 2 else "")); i = j
        else:
            out.append(c); i += 1
    return "".join(out)

SIGNATURE_END = re.compile(r"(\)|\bconst|\bnoexcept|\boverride|\bfinal|\bmutable|->\s*[\w:<>,\s\*&]+)\s*$")
CONTROL = re.compile(r"^\s*(if|for|while|switch|catch|do|else|try)\b")

def functions(path):
    text = blank(open(path, encoding="utf-8", errors="replace").read())
    stack = []  # (kind, start line, name)
    header_start = 0
    line = 1
    for i, c in enumerate(text):
        if c == "\n":
            line += 1
        elif c in ";{}":
            if c == "{":
                header = text[header_start:i]
                enclosing = stack[-1][0] if stack else "namespace"
                kind = "block"
                stripped = header.strip()
                if re.search(r"\bnamespace\b", header) or stripped.startswith("extern \"") or stripped == "extern":
                    kind = "namespace"
                elif re.search(r"\b(class|struct|union|enum)\b[^()]*$", header):
                    kind = "class"
                elif enclosing in ("namespace", "class") and SIGNATURE_END.search(header) and not CONTROL.match(header) \
                        and "=" not in header.split("(")[0]:
                    kind = "function"
                first = header_start + len(header) - len(header.lstrip())
                start_line = text.count("\n", 0, first) + 1
                name = re.sub(r"\s+", " ", stripped.split("(")[0])[-60:]
                stack.append((kind, start_line, name))
            elif c == "}" and stack:
                kind, start_line, name = stack.pop()
                if kind == "function":
                    yield line - start_line + 1, start_line, name
            header_start = i + 1
        elif c == ":" and stack and stack[-1][0] == "class" and text[header_start:i].strip() in ("public", "private", "protected"):
            header_start = i + 1

rows = []
for path in sys.stdin.read().split("\0"):
    if path:
        rows += [(length, path, start, name) for length, start, name in functions(path) if length > int(sys.argv[1])]
rows.sort(key=lambda row: (-row[0], row[1], row[2]))
for length, path, start, name in rows:
    print(f"{length} {path}:{start} {name}")
sys.exit(1 if rows else 0)
' "$limit"
