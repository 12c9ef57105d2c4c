#!/usr/bin/env bash
# Prints the name of a local stand-in for node:20-bookworm-slim, building it first if needed.
# No registry is reachable here, so the base is made from the Debian mirror apt already uses
# (debootstrap --variant=minbase, trimmed like debian:bookworm-slim) plus Node.js 20. The image
# tag carries a hash of every input (suite, mirror, Node and npm versions, this script), so a
# later run finds it in the store and skips the 1-2 minute build; a changed input builds anew.
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

suite=bookworm

# The first "deb" mirror of $suite in apt's sources (deb822 .sources files or sources.list).
debian_mirror() {
  local file
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    awk -v suite="$suite" '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; suites = ""; types = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) uris = substr($i, 6)
          if ($i ~ /^Suites:/) suites = substr($i, 8)
          if ($i ~ /^Types:/) types = substr($i, 7)
        }
        split(suites, s, " ")
        for (j in s) if (s[j] == suite && types ~ /(^| )deb( |$)/) { split(uris, u, " "); print u[1]; exit }
      }' "$file"
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    awk -v suite="$suite" '$1 == "deb" && !/\[/ && $3 == suite { print $2; exit }
      $1 == "deb" && /\[/ { for (i = 2; i <= NF; i++) if ($i ~ /\]$/) { if ($(i + 2) == suite) { print $(i + 1); exit } } }' "$file"
  done
}

mirror="$(debian_mirror | head -n 1)"
if [ -z "$mirror" ]; then
  echo "base-image: no '$suite' mirror found in /etc/apt/sources.list(.d)" >&2
  exit 1
fi

node_bin="$(command -v node)"
node_version="$("$node_bin" -p process.versions.node)"
if [ "${node_version%%.*}" != 20 ]; then
  echo "base-image: the host's Node.js is $node_version; the images run Node 20" >&2
  exit 1
fi
npm_version="${ECODATA_BASE_NPM_VERSION:-10.8.2}"

# Contents only (not paths), so every way of invoking this script finds the same image.
inputs_hash="$(cat "$node_bin" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-64)"
key="$(printf '%s\n' "$suite" "$mirror" "$node_version" "$npm_version" "$inputs_hash" | sha256sum | cut -c1-12)"
image="localhost/ecodata-node:${node_version}-${suite}-slim-${key}"

if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

echo "base-image: building $image (debootstrap $suite from $mirror, Node $node_version, npm $npm_version)" >&2
rootfs="$(mktemp -d "${TMPDIR:-/tmp}/ecodata-rootfs.XXXXXX")"
trap 'rm -rf "$rootfs"' EXIT

# libstdc++6 is the one library node links that minbase lacks.
debootstrap --variant=minbase --include=libstdc++6 "$suite" "$rootfs" "$mirror" >&2 \
  || { cat "$rootfs/debootstrap/debootstrap.log" >&2 2>/dev/null; exit 1; }

# Trim as debian:bookworm-slim does: no docs, man pages, locales or apt lists.
rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
  "$rootfs"/usr/share/locale/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
  "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log "$rootfs"/debootstrap

install -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
# npm publishes itself with its dependencies bundled: the tarball is the whole install.
npm_tarball="$(cd "$rootfs/tmp" && npm pack --silent "npm@$npm_version")"
tar -xzf "$rootfs/tmp/$npm_tarball" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
rm -f "$rootfs/tmp/$npm_tarball"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

tar -C "$rootfs" --numeric-owner -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$node_version" \
  --change 'CMD ["node"]' \
  --message "debootstrap --variant=minbase $suite $mirror + Node $node_version" \
  - "$image" >/dev/null
echo "$image"
