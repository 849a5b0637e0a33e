#!/usr/bin/env bash
# The .deb end to end: cpack -G DEB builds it from the build directory; its Depends must name the
# Debian package of every library the binary links; dpkg-deb -x extracts it into a scratch root
# (no dpkg database touched, no root needed), whose binary audits the demo with the weak-key sample
# under the extracted prefix. Usage: deb_package_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "deb_package_test: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log"; fail "cpack failed"; }
debs=("$scratch"/out/fleetaudit_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one fleetaudit_*.deb, found: ${debs[*]}"
deb=${debs[0]}
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

# Depends covers every NEEDED library (by the package dpkg says ships it) and the Python side.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
names=$(tr ',' '\n' <<<"$depends" | awk '{print $1}')  # the package names, without versions
dpkg-deb -x "$deb" "$scratch/root"
linked=$(ldd "$scratch/root/usr/bin/fleetaudit")
needed=$(objdump -p "$scratch/root/usr/bin/fleetaudit" | awk '$1 == "NEEDED" {print $2}')
# Each library by its multiarch directory, so that another architecture's copy (libc6-i386) does
# not answer; one dpkg -S for all of them (each call reads the whole database).
patterns=()
for library in $needed; do
  path=$(awk -v name="$library" '$1 == name && $2 == "=>" {print $3}' <<<"$linked")
  [ -n "$path" ] || fail "$library is not found on this machine"
  patterns+=("*/$(basename "$(dirname "$path")")/$library")
done
owners=$(dpkg -S "${patterns[@]}" 2>/dev/null) || true
for pattern in "${patterns[@]}"; do
  library=${pattern##*/}
  package=$(grep -F "/${pattern#*/}" <<<"$owners" | head -1 | cut -d: -f1) || true
  [ -n "$package" ] || fail "no Debian package ships $library"
  grep -qxF "$package" <<<"$names" || fail "Depends lacks $package (ships $library)"
done
for package in python3 python3-boto3; do
  grep -qxF "$package" <<<"$names" || fail "Depends lacks $package"
done

# What a lab gets: the programs, the weak-key sample, the README and the man page.
root=$scratch/root/usr
for file in bin/fleetaudit bin/fleetaudit-export share/fleetaudit/weak-keys/blacklist.RSA-2048 \
            share/fleetaudit/exporter/fleetaudit_export/cli.py share/doc/fleetaudit/README.md \
            share/man/man1/fleetaudit.1.gz; do
  [ -f "$root/$file" ] || fail "the package lacks /usr/$file"
done
zcat "$root/share/man/man1/fleetaudit.1.gz" | grep -q -- '--format' || fail "the man page lacks audit --help"
"$root/bin/fleetaudit-export" --version | grep -q '^fleetaudit-export ' || fail "fleetaudit-export does not run"

# The extracted binary audits the demo (exit status 1: the demo is built to fail)...
status=0
"$root/bin/fleetaudit" audit "$source/fixtures/demo" --format text >"$scratch/demo.txt" || status=$?
[ "$status" -eq 1 ] || fail "the extracted fleetaudit exited $status on the demo, expected 1"
grep -q 'NON-COMPLIANT CRITICAL DEVICE_CERTIFICATE_SHARED_CHECK' "$scratch/demo.txt" || fail "no demo findings"
grep -q 'Debian weak-key blocklist: 1226 entries (RSA-1024: 613, RSA-2048: 613)' "$scratch/demo.txt" ||
  fail "the weak-key sample was not read: $(grep -i weak "$scratch/demo.txt")"
# ...with the weak-key sample under its own prefix, not the checkout's: take one list away there.
rm "$root/share/fleetaudit/weak-keys/blacklist.RSA-1024"
"$root/bin/fleetaudit" audit "$source/fixtures/demo" --format text >"$scratch/demo2.txt" || true
grep -q 'Debian weak-key blocklist: 613 entries (RSA-2048: 613)' "$scratch/demo2.txt" ||
  fail "the extracted binary does not read share/fleetaudit/weak-keys under its prefix"
echo "the extracted package audited the demo with its own weak-key sample"
