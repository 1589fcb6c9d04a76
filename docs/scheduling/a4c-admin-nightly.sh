#!/usr/bin/env bash
# a4c-admin-nightly: the unattended backup of docs/scheduling.md. Takes a backup, pushes it
# off-host, prunes the local backups and then the remote ones. Each step runs only when the
# steps before it succeeded: a backup that failed is not pushed, and nothing is pruned while
# the newest backup is not safely off-host. The script exits with the status of the first
# step that failed (docs/exit-codes.md), or 0; it names the step on stderr.
#
# Backup names are <prefix>-<UTC date and time>, e.g. nightly-2026-11-30-023000.
#
# Settings (environment; the defaults suit a nightly timer):
#   A4C_ADMIN                 the binary (default: a4c-admin on PATH)
#   A4C_ADMIN_CONFIG          the config file, as for every a4c-admin command
#   A4C_NIGHTLY_PREFIX        the prefix of backup names (default: nightly)
#   A4C_NIGHTLY_VERSION       the A4C data version, for a cluster without a data-version
#                             marker (default: none, the marker says it)
#   A4C_NIGHTLY_KEEP_LOCAL    prune rules on this host (default: --keep-within 7d --keep-last 3)
#   A4C_NIGHTLY_KEEP_REMOTE   prune rules in the object store (default: --keep-within 30d --keep-monthly 12)
#   A4C_NIGHTLY_OFFHOST       1 (default): push and prune the remote copies; 0: local steps only
set -u -o pipefail

tool=${A4C_ADMIN:-a4c-admin}
name="${A4C_NIGHTLY_PREFIX:-nightly}-$(date -u +%Y-%m-%d-%H%M%S)"
read -r -a keep_local <<<"${A4C_NIGHTLY_KEEP_LOCAL:---keep-within 7d --keep-last 3}"
read -r -a keep_remote <<<"${A4C_NIGHTLY_KEEP_REMOTE:---keep-within 30d --keep-monthly 12}"

# Runs one step; on failure says which, with its status, and exits with that status.
step() {
  local label=$1
  shift
  echo "a4c-admin-nightly: ${label}: $*" >&2
  "$@"
  local status=$?
  if [ "$status" -ne 0 ]; then
    echo "a4c-admin-nightly: ${label} failed with status ${status}; later steps skipped" >&2
    exit "$status"
  fi
}

# --- local: backup, then (below) prune this host's backups --------------------------------
version=${A4C_NIGHTLY_VERSION:-}
step backup "$tool" backup ${version:+"$version"} -n "$name"

# --- off-host: push the new backup, prune the object store --------------------------------
# Needs the `remote` and `encryption` sections of the config (docs/security.md, "Encryption").
if [ "${A4C_NIGHTLY_OFFHOST:-1}" = 1 ]; then
  step push "$tool" push "$name"
  step prune-remote "$tool" prune --remote "${keep_remote[@]}" --yes
fi

# Local backups are pruned last: only once the newest one is off-host (or off-host is off).
step prune-local "$tool" prune "${keep_local[@]}" --yes
echo "a4c-admin-nightly: ${name} done" >&2
