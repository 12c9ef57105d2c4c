# shellcheck shell=bash
# Sourced by the other scripts here: points podman and buildah at private configuration and
# storage so nothing in /etc/containers or /var/lib/containers is touched. Settings that make
# rootful podman work in this kind of machine (a container without systemd or cgroup
# delegation): runc (crun fails), cgroupfs, a file events log, host networking and explicit
# ulimits (the inherited hard limits are refused), chroot isolation for RUN steps.
#
# ECODATA_CONTAINERS_CACHE (default ~/.cache/ecodata-containers) keeps the image store, so the
# base image survives between runs; runtime state goes to a temp folder.

containers_cache="${ECODATA_CONTAINERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecodata-containers}"
containers_run="${TMPDIR:-/tmp}/ecodata-containers-run-$(id -u)"
mkdir -p "$containers_cache/config" "$containers_cache/storage" "$containers_run"

cat >"$containers_cache/config/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$containers_cache/storage"
runroot = "$containers_run"
CONF

cat >"$containers_cache/config/containers.conf" <<CONF
[containers]
netns = "host"
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$containers_run/events.log"
tmp_dir = "$containers_run/libpod"
CONF

# Only local images exist: never ask a registry for a short name.
cat >"$containers_cache/config/registries.conf" <<CONF
unqualified-search-registries = []
short-name-mode = "disabled"
CONF

export CONTAINERS_STORAGE_CONF="$containers_cache/config/storage.conf"
export CONTAINERS_CONF="$containers_cache/config/containers.conf"
export CONTAINERS_REGISTRIES_CONF="$containers_cache/config/registries.conf"
export BUILDAH_ISOLATION=chroot
