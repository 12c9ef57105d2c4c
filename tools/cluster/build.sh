#!/usr/bin/env bash
# Builds the control-plane binaries the cluster tests run (kube-apiserver,
# kube-controller-manager, kube-scheduler, kubectl, etcd, kwok) from Go module source fetched
# through the module proxy, into a cache outside git:
#
#   ${ECODATA_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecodata-cluster}/bin-<key>/
#
# <key> hashes the consumer modules (go.mod + go.sum), this script and the Go version, so a
# change to any pinned version builds a fresh set and a warm cache is reused as is.
# Prints the bin folder on stdout (the last line); progress and timings go to stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
modules="$here/modules"
cache="${ECODATA_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecodata-cluster}"

key="$(
  {
    go version
    cat "$0"
    for m in kubernetes etcd kwok; do cat "$modules/$m/go.mod" "$modules/$m/go.sum"; done
  } | sha256sum | cut -c1-16
)"
bin="$cache/bin-$key"

if [ -f "$bin/.complete" ]; then
  echo "cluster build: binaries up to date in $bin" >&2
  echo "$bin"
  exit 0
fi

mkdir -p "$bin.partial"
started=$SECONDS
step() { echo "cluster build: [$((SECONDS - started))s] $*" >&2; }

# Reproducible, small binaries: no paths of this machine, no symbol tables, no VCS stamp.
export CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false"

module_version() { (cd "$modules/$1" && go list -m -f '{{.Version}}' "$2"); }

kube="$(module_version kubernetes k8s.io/kubernetes)"
kube_minor="$(echo "$kube" | cut -d. -f2)"
# What `make` in kubernetes/kubernetes stamps (hack/lib/version.sh); without it `--version`
# prints v0.0.0-master. buildDate is fixed so the binaries are reproducible.
kube_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X $pkg.gitVersion=$kube -X $pkg.gitMajor=1 -X $pkg.gitMinor=$kube_minor"
  kube_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

step "downloading modules (k8s.io/kubernetes $kube, etcd, kwok)"
for m in kubernetes etcd kwok; do (cd "$modules/$m" && go mod download); done

for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  step "building $cmd $kube"
  (cd "$modules/kubernetes" && go build -ldflags "$kube_ldflags" -o "$bin.partial/$cmd" "k8s.io/kubernetes/cmd/$cmd")
done

step "building etcd $(module_version etcd go.etcd.io/etcd/server/v3)"
(cd "$modules/etcd" && go build -ldflags "-s -w" -o "$bin.partial/etcd" go.etcd.io/etcd/server/v3)

step "building kwok $(module_version kwok sigs.k8s.io/kwok)"
(cd "$modules/kwok" && go build -ldflags "-s -w" -o "$bin.partial/kwok" sigs.k8s.io/kwok/cmd/kwok)

rm -rf "$bin"
mv "$bin.partial" "$bin"
touch "$bin/.complete"
step "done in $((SECONDS - started))s: $bin"
echo "$bin"
