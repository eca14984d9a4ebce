#!/usr/bin/env bash
# The linux-x86_64 distribution as a user gets it: made by scripts/release.sh from the jar the
# test run built, checked against its SHA-256, unpacked, holding no other platform's natives and
# no debug symbols, and `bin/sentinel --version` answering on the bundled runtime with no JDK in
# the environment and a read-only installation. Run by .ci/run after ./test.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
fail() { echo "test-release.sh: FAILED: $*" >&2; exit 1; }

started=$(date +%s)
scripts/release.sh --skip-build --platform linux-x86_64
version=$(unzip -p sentinel-app/target/sentinel.jar dev/sentinel/app/version.properties | sed -n 's/^version=//p')
name=sentinel-$version-linux-x86_64
archive=target/release/$name.tar.gz

(cd target/release && sha256sum -c "$name.tar.gz.sha256") || fail "checksum of $archive"
grep -q '"bomFormat" *: *"CycloneDX"' "target/release/$name.cdx.json" || fail "no CycloneDX SBOM"
grep -q '"name" *: *"duckdb_jdbc"' "target/release/$name.cdx.json" || fail "the SBOM lacks duckdb_jdbc"

unpacked=$(mktemp -d)
trap 'chmod -R u+w "$unpacked"; rm -rf "$unpacked"' EXIT
tar -C "$unpacked" -xzf "$archive"
home=$unpacked/$name
[ -x "$home/runtime/bin/java" ] || fail "no bundled runtime"
[ -f "$home/runbooks/memory-leak.md" ] || fail "no runbooks"

entries=$(unzip -Z1 "$home/lib/sentinel.jar")
for foreign in libduckdb_java.so_osx_universal libduckdb_java.so_linux_arm64 postgres-darwin-x86_64.txz \
    postgres-windows-x86_64.txz ai/onnxruntime/native/win-x64/ native/lib/osx-aarch64/ '\.pdb$' '\.dSYM/'; do
  if grep -qE "$foreign" <<<"$entries"; then fail "the jar still holds $foreign"; fi
done
for own in libduckdb_java.so_linux_amd64 postgres-linux-x86_64.txz \
    ai/onnxruntime/native/linux-x64/libonnxruntime.so native/lib/linux-x86_64/cpu/libtokenizers.so; do
  grep -qx "$own" <<<"$entries" || fail "the jar lacks $own"
done

# A user without a JDK, and an installation nobody may write to.
chmod -R a-w "$home"
runtime_dir=$unpacked/runtime-dir
output=$(env -i PATH=/usr/bin:/bin HOME="$unpacked/home" SENTINEL_RUNTIME_DIR="$runtime_dir" \
  "$home/bin/sentinel" --version)
echo "$output"
[[ "$output" == "sentinel $version ("*")" ]] || fail "--version printed '$output'"
[ -d "$runtime_dir/tmp" ] || fail "the launcher made no tmp under SENTINEL_RUNTIME_DIR"
[ ! -e "$unpacked/home/.djl.ai" ] || fail "something wrote to ~/.djl.ai"

mb() { du -sb "$1" | awk '{printf "%d", $1 / 1000000}'; }
jar_bytes=$(du -sb sentinel-app/target/sentinel.jar | cut -f1)
dist_bytes=$(du -sb "$home" | cut -f1)
echo "test-release.sh: OK in $(( $(date +%s) - started )) s: the jar is $(mb sentinel-app/target/sentinel.jar) MB;" \
  "$name is $(mb "$archive") MB packed, $(mb "$home") MB unpacked" \
  "($(( dist_bytes * 100 / jar_bytes )) % of the jar; runtime/ $(mb "$home/runtime") MB, lib/ $(mb "$home/lib") MB)"
