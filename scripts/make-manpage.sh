#!/usr/bin/env bash
# Writes fleetaudit(1), gzip'd, from the program's own --help and each subcommand's --help, so the
# man page says what the binary does. Usage: make-manpage.sh FLEETAUDIT_BINARY OUTPUT.1.gz
# The page carries no date (same binary, same bytes) and gzip -n leaves out the name and time.
set -euo pipefail
binary=$1
output=$2

# troff: a backslash is \e, and a line starting with . or ' would be read as a request.
escape() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

version=$("$binary" --version)
help=$("$binary" --help)
# CLI11 lists the subcommands under "Subcommands:", one a line: "  NAME   description".
subcommands=$(awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1}' <<<"$help")
[ -n "$subcommands" ] || { echo "make-manpage.sh: no Subcommands section in $binary --help" >&2; exit 1; }
# The usage lines name the binary by the path it was run from: the page names the installed command.
help_of() { "$binary" "$@" --help | sed "s#^Usage: [^ ]*#Usage: fleetaudit#"; }
help=$(help_of)

page() {
  echo ".TH FLEETAUDIT 1 \"\" \"$version\" \"User Commands\""
  echo ".SH NAME"
  echo "fleetaudit \\- audit an exported AWS IoT fleet snapshot offline, as AWS IoT Device Defender would"
  echo ".SH SYNOPSIS"
  for name in $subcommands; do echo ".B fleetaudit $name"; echo "[\\fIOPTIONS\\fR]"; echo ".br"; done
  echo ".SH DESCRIPTION"
  echo ".nf"
  escape <<<"$help"
  echo ".fi"
  echo ".SH COMMANDS"
  for name in $subcommands; do
    echo ".SS fleetaudit $name"
    echo ".nf"
    help_of "$name" | escape
    echo ".fi"
  done
  echo ".SH SEE ALSO"
  echo "fleetaudit-export \\-\\-help; the README in /usr/share/doc/fleetaudit/README.md"
}

page | gzip -9n > "$output.tmp"
mv "$output.tmp" "$output"
