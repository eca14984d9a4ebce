#!/usr/bin/env bash
# Builds Sentinel's container image without a Docker daemon or a registry, and saves it as an OCI
# archive that `podman load` and `docker load` read:
#
#   target/release/sentinel-<version>-image.tar     localhost/sentinel:<version> (and :latest)
#
# Needs podman, buildah, mmdebstrap and runc (Debian's packages) and the linux-x86_64 distribution
# (scripts/release.sh; made here when missing). The Debian base (mmdebstrap minbase of bookworm
# with ca-certificates) is cached in ~/.cache/sentinel-image/ for at most a week, so security updates
# reach the next image within days.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
for tool in podman buildah mmdebstrap runc; do
  command -v "$tool" >/dev/null || { echo "image.sh: $tool is missing (apt-get install -y podman buildah mmdebstrap runc)" >&2; exit 1; }
done
# This sandbox refuses setrlimit: no default ulimits for the build's and the run's containers.
export CONTAINERS_CONF=$root/target/containers.conf
mkdir -p target && printf '[containers]\ndefault_ulimits = []\n' > "$CONTAINERS_CONF"

version=$(unzip -p sentinel-app/target/sentinel.jar dev/sentinel/app/version.properties | sed -n 's/^version=//p')
name=sentinel-$version-linux-x86_64
dist=target/release-work/$name
[ -x "$dist/bin/sentinel" ] || scripts/release.sh --skip-build --platform linux-x86_64

cache=${XDG_CACHE_HOME:-$HOME/.cache}/sentinel-image
base=$cache/debian-bookworm-minbase.tar
mkdir -p "$cache"
if [ ! -f "$base" ] || [ -n "$(find "$base" -mtime +6)" ]; then
  started=$(date +%s)
  # mmdebstrap picks its output format from the name: keep .tar last.
  mmdebstrap --quiet --variant=minbase --include=ca-certificates bookworm "$cache/partial.tar"
  mv "$cache/partial.tar" "$base"
  echo "image.sh: Debian base made in $(( $(date +%s) - started )) s"
  podman rmi -f localhost/sentinel-base:bookworm >/dev/null 2>&1 || true
fi
if ! podman image exists localhost/sentinel-base:bookworm \
    || [ "$base" -nt "$cache/base.imported" ]; then
  podman import --quiet "$base" localhost/sentinel-base:bookworm >/dev/null
  touch "$cache/base.imported"
fi

started=$(date +%s)
buildah bud --quiet --isolation chroot --layers=false \
  --build-arg DISTRIBUTION="$name" -f "$root/deploy/container/Containerfile" \
  -t "localhost/sentinel:$version" -t localhost/sentinel:latest "$root/target/release-work" >/dev/null
echo "image.sh: image built in $(( $(date +%s) - started )) s"
archive=target/release/sentinel-$version-image.tar
rm -f "$archive"
podman save --quiet --format oci-archive -o "$archive" "localhost/sentinel:$version"
(cd target/release && sha256sum "$(basename "$archive")" > "$(basename "$archive").sha256")
echo "image.sh: $archive ($(du -m "$archive" | cut -f1) MB; $(podman image inspect --format '{{.Size}}' "localhost/sentinel:$version" | awk '{printf "%d", $1/1048576}') MB in storage)"
