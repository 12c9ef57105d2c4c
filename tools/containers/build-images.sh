#!/usr/bin/env bash
# Builds localhost/ecodata-api:local and localhost/ecodata-front:local from app/*/Dockerfile
# with local base images (no registry here), so the Dockerfiles keep the official images as
# defaults: every `ARG <name>=[registry/path/]node:<tag>` gets --build-arg <name>=<node base>
# and every `ARG <name>=[registry/path/]debian:<tag>` gets --build-arg <name>=<debian base>.
# Usage: build-images.sh <node base image> <debian base image> [api|front ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=tools/containers/podman-env.sh
source "$here/podman-env.sh"

usage="usage: build-images.sh <node base image> <debian base image> [api|front ...]"
node_base="${1:?$usage}"
debian_base="${2:?$usage}"
shift 2
apps=("$@")
[ "${#apps[@]}" -gt 0 ] || apps=(api front)

# A machine whose egress re-signs TLS (npm's `cafile` points at a private CA, as here) needs
# that CA inside RUN steps for `npm ci`. Bind mounts exist only while a step runs, so the CA
# and this npmrc never land in an image layer.
build_mounts=()
cafile="$(npm config get cafile 2>/dev/null || true)"
if [ -n "$cafile" ] && [ "$cafile" != null ] && [ -f "$cafile" ]; then
  printf 'cafile=/run/ecodata-build/ca.crt\n' >"$containers_run/build-npmrc"
  build_mounts=(--volume "$cafile:/run/ecodata-build/ca.crt:ro"
    --volume "$containers_run/build-npmrc:/usr/local/etc/npmrc:ro")
fi

for app in "${apps[@]}"; do
  dockerfile="app/$app/Dockerfile"
  if [ ! -f "$root/$dockerfile" ]; then
    echo "build-images: $dockerfile does not exist" >&2
    exit 1
  fi
  # The official image a Dockerfile ARG defaults to -> the local stand-in for it.
  build_args=()
  node_args=0
  while read -r arg image; do
    case "$image" in
      node) build_args+=(--build-arg "$arg=$node_base"); node_args=$((node_args + 1)) ;;
      debian) build_args+=(--build-arg "$arg=$debian_base") ;;
    esac
  done < <(sed -n 's/^ARG \([A-Za-z_][A-Za-z0-9_]*\)=\([^ ]*\/\)\{0,1\}\(node\|debian\):.*/\1 \3/p' "$root/$dockerfile")
  if [ "$node_args" -eq 0 ]; then
    echo "build-images: $dockerfile has no 'ARG <name>=[registry/]node:<tag>' for its build stage" >&2
    exit 1
  fi
  ignore=()
  [ -f "$root/$dockerfile.dockerignore" ] && ignore=(--ignorefile "$root/$dockerfile.dockerignore")
  started=$SECONDS
  echo "build-images: ecodata-$app (${build_args[*]})" >&2
  podman build --pull=never --network host --layers \
    --ulimit nofile=20000:20000 --ulimit nproc=4096:4096 \
    "${build_args[@]}" "${build_mounts[@]}" "${ignore[@]}" -f "$root/$dockerfile" -t "localhost/ecodata-$app:local" "$root" >&2
  echo "build-images: ecodata-$app built in $((SECONDS - started)) s" >&2
done
