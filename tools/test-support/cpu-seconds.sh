#!/usr/bin/env bash
# The CPU seconds a command costs on a shared machine, where wall time says more about the other
# users than about the command: user + system time of the command's process tree (what
# /usr/bin/time counts: every child it waited for) plus what the named Elasticsearch nodes' java
# processes spent meanwhile (/proc/<pid>/stat utime + stime, before and after).
# Usage: tools/test-support/cpu-seconds.sh <node name>[,<node name>...] <label> -- <command...>
# e.g.   tools/test-support/cpu-seconds.sh h1-es8,h1-es1 api -- pnpm exec vitest run --project integration <file>
set -uo pipefail
names=$1 label=$2
shift 3
ticks=$(getconf CLK_TCK)
pids=()
for name in ${names//,/ }; do
  for pid in $(pgrep -f "nodes/$name/"); do [ "$(cat "/proc/$pid/comm")" = java ] && pids+=("$pid"); done
done
[ ${#pids[@]} -gt 0 ] || echo "cpu-seconds: no java process of $names: only the command's own CPU is counted" >&2
nodes_ticks() {
  local sum=0 pid fields
  for pid in "${pids[@]}"; do
    read -r -a fields < "/proc/$pid/stat"
    sum=$((sum + fields[13] + fields[14]))
  done
  echo "$sum"
}
times=$(mktemp)
before=$(nodes_ticks) load_before=$(cut -d' ' -f1 /proc/loadavg)
/usr/bin/time -f '%e %U %S' -o "$times" "$@"
status=$?
after=$(nodes_ticks) load_after=$(cut -d' ' -f1 /proc/loadavg)
# On a failure, time writes "Command exited with non-zero status" first: the numbers are the last line.
read -r wall user system < <(tail -1 "$times")
rm -f "$times"
echo "cpu-seconds $label: exit $status, command $(echo "$user + $system" | bc) s, nodes $(echo "scale=1; ($after - $before) / $ticks" | bc) s, wall $wall s, load $load_before -> $load_after"
exit "$status"
