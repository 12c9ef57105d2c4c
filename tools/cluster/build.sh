#!/usr/bin/env bash
# Builds the binaries the cluster tests run from Go module source fetched through the module
# proxy, into a cache outside git:
#   kubernetes: kube-apiserver, kube-controller-manager, kube-scheduler, kubectl
#   etcd, kwok, argocd (Argo CD's one binary), helm (renders the platform charts)
#   weed (SeaweedFS: the S3-compatible object store of the backup drill, npm run backup-drill)
#
#   ${ECODATA_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecodata-cluster}/
#     <module>-<key>/    one folder per consumer module under modules/, built once per key
#     bin-<key>/         symlinks to all of them: what callers use
#
# A <key> hashes the module's go.mod and go.sum, its build function, the build flags and the
# Go version, so bumping one pinned version (or adding a module) rebuilds that module only. Prints the bin folder on stdout (the last
# line); progress and timings go to stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
modules="$here/modules"
cache="${ECODATA_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecodata-cluster}"
groups=(kubernetes etcd kwok argocd helm seaweedfs)
started=$SECONDS
step() { echo "cluster build: [$((SECONDS - started))s] $*" >&2; }

key_of() {
  { go version; echo "$CGO_ENABLED $GOFLAGS"; declare -f "build_$1"; cat "$modules/$1/go.mod" "$modules/$1/go.sum"; } | sha256sum | cut -c1-16
}
module_version() { (cd "$modules/$1" && go list -m -f '{{.Version}}' "$2"); }

# Reproducible, small binaries: no paths of this machine, no symbol tables, no VCS stamp.
export CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false"

build_kubernetes() {
  local out="$1" kube minor ldflags="-s -w" pkg cmd
  kube="$(module_version kubernetes k8s.io/kubernetes)"
  minor="$(echo "$kube" | cut -d. -f2)"
  # What `make` in kubernetes/kubernetes stamps (hack/lib/version.sh); without it `--version`
  # prints v0.0.0-master. buildDate is fixed so the binaries are reproducible.
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$kube -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    step "building $cmd $kube"
    (cd "$modules/kubernetes" && go build -ldflags "$ldflags" -o "$out/$cmd" "k8s.io/kubernetes/cmd/$cmd")
  done
}

build_etcd() {
  step "building etcd $(module_version etcd go.etcd.io/etcd/server/v3)"
  (cd "$modules/etcd" && go build -ldflags "-s -w" -o "$1/etcd" go.etcd.io/etcd/server/v3)
}

build_kwok() {
  step "building kwok $(module_version kwok sigs.k8s.io/kwok)"
  (cd "$modules/kwok" && go build -ldflags "-s -w" -o "$1/kwok" sigs.k8s.io/kwok/cmd/kwok)
}

build_argocd() {
  local version kubectl p=github.com/argoproj/argo-cd/v3/common
  version="$(module_version argocd github.com/argoproj/argo-cd/v3)"
  kubectl="$(module_version argocd k8s.io/kubectl)"
  step "building argocd $version"
  # Argo CD's Makefile stamps these (common/version.go); the commit is unknown to a module
  # build, and the version prints as the plain tag only with gitCommit set and a clean tree.
  (cd "$modules/argocd" && go build -ldflags "-s -w -X $p.version=${version#v} -X $p.gitTag=$version -X $p.gitCommit=unknown -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z -X $p.kubectlVersion=$kubectl" \
    -o "$1/argocd" github.com/argoproj/argo-cd/v3/cmd)
}

build_helm() {
  local version p=helm.sh/helm/v3/internal/version
  version="$(module_version helm helm.sh/helm/v3)"
  step "building helm $version"
  # What helm's Makefile stamps; without it `helm version` prints v3.x-dev.
  (cd "$modules/helm" && go build -ldflags "-s -w -X $p.version=$version -X $p.gitTreeState=clean" -o "$1/helm" helm.sh/helm/v3/cmd/helm)
}

build_seaweedfs() {
  step "building weed (SeaweedFS $(module_version seaweedfs github.com/seaweedfs/seaweedfs))"
  (cd "$modules/seaweedfs" && go build -ldflags "-s -w" -o "$1/weed" github.com/seaweedfs/seaweedfs/weed)
}

bin_key="$(for g in "${groups[@]}"; do key_of "$g"; done | sha256sum | cut -c1-16)"
bin="$cache/bin-$bin_key"
if [ -f "$bin/.complete" ]; then
  echo "cluster build: binaries up to date in $bin" >&2
  echo "$bin"
  exit 0
fi

for g in "${groups[@]}"; do
  dir="$cache/$g-$(key_of "$g")"
  [ -f "$dir/.complete" ] && continue
  step "downloading the modules of $g"
  (cd "$modules/$g" && go mod download)
  rm -rf "$dir.partial"
  mkdir -p "$dir.partial"
  "build_$g" "$dir.partial"
  rm -rf "$dir"
  mv "$dir.partial" "$dir"
  touch "$dir/.complete"
done

rm -rf "$bin.partial"
mkdir -p "$bin.partial"
for g in "${groups[@]}"; do
  dir="$cache/$g-$(key_of "$g")"
  for file in "$dir"/*; do ln -s "$file" "$bin.partial/$(basename "$file")"; done
done
rm -rf "$bin"
mv "$bin.partial" "$bin"
touch "$bin/.complete"
step "done in $((SECONDS - started))s: $bin"
echo "$bin"
