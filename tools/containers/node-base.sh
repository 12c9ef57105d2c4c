#!/usr/bin/env bash
# Prints the name of a local stand-in for node:20-bookworm-slim, building it first if needed.
# Usage: node-base.sh <debian base image>   (the stand-in for debian:bookworm-slim that
# debian-base.sh prints). As the official node:20-bookworm-slim is debian:bookworm-slim plus
# Node.js under /usr/local, this is one layer on top of that Debian base. The tag carries a hash
# of every input (the Debian image's id, Node and npm versions, the node binary, this script),
# so a later run finds it in the store and skips the build.
#
# Node.js: the apt sources of this machine kind serve only Debian's Node 18 (the NodeSource
# list is disabled), so the base gets the host's own Node 20 binary — the runtime the tests
# use — and the npm that Node 20 releases bundle (10.8.2, as in the official node:20 images;
# ECODATA_BASE_NPM_VERSION overrides), fetched with `npm pack`. Official images get theirs
# from nodejs.org; both are Node 20 on bookworm with node and npm under /usr/local.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/containers/podman-env.sh
source "$here/podman-env.sh"

debian_image="${1:?usage: node-base.sh <debian base image>}"
debian_id="$(podman image inspect --format '{{.Id}}' "$debian_image")"

node_bin="$(command -v node)"
node_version="$("$node_bin" -p process.versions.node)"
if [ "${node_version%%.*}" != 20 ]; then
  echo "node-base: the host's Node.js is $node_version; the images run Node 20" >&2
  exit 1
fi
npm_version="${ECODATA_BASE_NPM_VERSION:-10.8.2}"

# Contents only (not paths), so every way of invoking this script finds the same image.
inputs_hash="$(cat "$node_bin" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-64)"
key="$(printf '%s\n' "$debian_id" "$node_version" "$npm_version" "$inputs_hash" | sha256sum | cut -c1-12)"
image="localhost/ecodata-node:${node_version}-bookworm-slim-${key}"

if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

echo "node-base: building $image ($debian_image + Node $node_version, npm $npm_version)" >&2
context="$(mktemp -d "${TMPDIR:-/tmp}/ecodata-node-base.XXXXXX")"
trap 'rm -rf "$context"' EXIT

local_root="$context/rootfs/usr/local"
mkdir -p "$local_root/bin" "$local_root/lib/node_modules/npm"
install -m 0755 "$node_bin" "$local_root/bin/node"
# npm publishes itself with its dependencies bundled: the tarball is the whole install.
npm_tarball="$(cd "$context" && npm pack --silent "npm@$npm_version")"
tar -xzf "$context/$npm_tarball" -C "$local_root/lib/node_modules/npm" --strip-components=1 --no-same-owner
rm -f "$context/$npm_tarball"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$local_root/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$local_root/bin/npx"

cat >"$context/Containerfile" <<CONTAINERFILE
FROM $debian_image
COPY rootfs/ /
ENV NODE_VERSION=$node_version
CMD ["node"]
CONTAINERFILE
podman build --pull=never --quiet -f "$context/Containerfile" -t "$image" "$context" >/dev/null
echo "$image"
