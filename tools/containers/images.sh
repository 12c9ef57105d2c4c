#!/usr/bin/env bash
# `npm run images`: builds the real ecodata-api and ecodata-front images with podman and runs
# them the way the dev manifests do (see README.md beside this file):
#   1. installs podman/buildah/debootstrap from apt when missing (root or sudo),
#   2. prepares the local base images (cached: skipped when their inputs match): a Debian
#      bookworm slim base (the runtime stages' base) and Node 20 on top of it (the build stages'),
#   3. builds both images from app/*/Dockerfile with those bases (--pull=never), prints their
#      sizes and fails when one is ECODATA_IMAGE_MAX_MB (200) or more,
#   4. smoke test + `podman kube play` of dist/dev pod specs (tools/containers/src/main.ts).
# `images.sh --check` only answers whether podman can run containers here (exit 0) or not
# (exit 3, with the reason), so CI can skip the step with a clear message.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

packages=(buildah podman skopeo debootstrap runc fuse-overlayfs uidmap containernetworking-plugins catatonit)

cannot() {
  echo "images: podman cannot be set up here: $*" >&2
  exit 3
}

ensure_podman() {
  [ "$(uname -s)" = Linux ] || cannot "not Linux (use Docker Desktop or podman machine: see tools/containers/README.md)"
  # Rootless podman needs subuid ranges and a user session this script does not configure.
  [ "$(id -u)" -eq 0 ] || cannot "this script runs podman as root (it is root in CI); on a laptop build with Docker or podman directly (tools/containers/README.md)"
  local missing=() package
  for package in "${packages[@]}"; do
    dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || cannot "missing ${missing[*]} and no apt-get to install them"
    echo "images: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2 \
      || cannot "apt-get install ${missing[*]} failed"
  fi
}

# Runs /usr/bin/true from a throwaway rootfs holding only it and its libraries: proves runc,
# namespaces, the overlay store and the ulimits work without needing any image.
probe_podman() {
  local rootfs lib
  rootfs="$(mktemp -d "${TMPDIR:-/tmp}/ecodata-probe.XXXXXX")"
  mkdir -p "$rootfs/usr/bin"
  cp /usr/bin/true "$rootfs/usr/bin/true"
  for lib in $(ldd /usr/bin/true | grep -o '/[^ ]*'); do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
  local output
  if ! output="$(podman run --rm --rootfs "$rootfs" /usr/bin/true 2>&1)"; then
    rm -rf "$rootfs"
    cannot "podman run fails: $output"
  fi
  rm -rf "$rootfs"
}

ensure_podman
# shellcheck source=tools/containers/podman-env.sh
source "$here/podman-env.sh"
probe_podman
if [ "${1:-}" = --check ]; then
  echo "images: podman works here ($(podman --version))"
  exit 0
fi
[ $# -eq 0 ] || { echo "usage: images.sh [--check]" >&2; exit 2; }

# One run at a time per image store: the checks use fixed pod and Secret names.
exec 9>"$containers_cache/images.lock"
flock 9
# Leftovers of a run that was killed (fixed pod names would clash).
podman pod rm --all --force >/dev/null 2>&1 || true
podman rm --all --force >/dev/null 2>&1 || true

started=$SECONDS
debian_base="$(bash "$here/debian-base.sh")"
node_base="$(bash "$here/node-base.sh" "$debian_base")"
echo "images: bases $debian_base and $node_base ready after $((SECONDS - started)) s"
bash "$here/build-images.sh" "$node_base" "$debian_base" api front
echo "images: images built after $((SECONDS - started)) s"

# Uncompressed sizes (the sum of the layers, as `docker images` shows them). The apps' runtime
# stages start from the Debian base: "over debian" is what a Dockerfile adds to it.
max_mb="${ECODATA_IMAGE_MAX_MB:-200}"
size_of() { podman image inspect --format '{{.Size}}' "$1"; }
debian_size="$(size_of "$debian_base")"
printf 'images: %-28s %8s %14s\n' image 'size MB' 'over debian MB'
for image in "$debian_base" "$node_base" localhost/ecodata-api:local localhost/ecodata-front:local; do
  size="$(size_of "$image")"
  awk -v name="${image%%:*}" -v size="$size" -v base="$debian_size" \
    'BEGIN { printf "images: %-28s %8.1f %14.1f\n", name, size / 1e6, (size - base) / 1e6 }'
done
for image in localhost/ecodata-api:local localhost/ecodata-front:local; do
  size="$(size_of "$image")"
  if ! awk -v size="$size" -v max="$max_mb" 'BEGIN { exit !(size < max * 1e6) }'; then
    echo "images: $image is $((size / 1000000)) MB, not under ${max_mb} MB (issue 7's size target)" >&2
    exit 1
  fi
done

node "$root/tools/run-ts.cjs" tools/containers/main.ts --api-image localhost/ecodata-api:local --front-image localhost/ecodata-front:local
echo "images: all checks passed in $((SECONDS - started)) s"
