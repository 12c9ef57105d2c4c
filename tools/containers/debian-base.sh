#!/usr/bin/env bash
# Prints the name of a local stand-in for debian:bookworm-slim, building it first if needed.
# No registry is reachable here, so it is made from the Debian mirror apt already uses:
# `debootstrap --variant=minbase` (the variant debian:*-slim is built from), trimmed as the slim
# images are (no docs, man pages, locales or apt lists). The tag carries a hash of every input
# (suite, mirror, this script), so a later run finds it in the store and skips the 1-2 minute
# build. The images' runtime stages start from it; node-base.sh adds Node.js on top.
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
  echo "debian-base: no '$suite' mirror found in /etc/apt/sources.list(.d)" >&2
  exit 1
fi

# Contents only (not paths), so every way of invoking this script finds the same image.
key="$(printf '%s\n' "$suite" "$mirror" "$(sha256sum <"${BASH_SOURCE[0]}")" | sha256sum | cut -c1-12)"
image="localhost/ecodata-debian:${suite}-slim-${key}"

if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

echo "debian-base: building $image (debootstrap --variant=minbase $suite from $mirror)" >&2
rootfs="$(mktemp -d "${TMPDIR:-/tmp}/ecodata-rootfs.XXXXXX")"
trap 'rm -rf "$rootfs"' EXIT

# minbase = Essential + apt, as debian:bookworm-slim: coreutils (the manifests' preStop runs
# `sleep`), libc6 and libstdc++6 (apt needs it; so does the node binary).
debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >&2 \
  || { cat "$rootfs/debootstrap/debootstrap.log" >&2 2>/dev/null; exit 1; }

# Trim as debian:bookworm-slim does: no docs, man pages, locales or apt lists.
rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
  "$rootfs"/usr/share/locale/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
  "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log "$rootfs"/debootstrap

tar -C "$rootfs" --numeric-owner -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' \
  --message "debootstrap --variant=minbase $suite $mirror" \
  - "$image" >/dev/null
echo "$image"
