#!/usr/bin/env bash
# A one-node Slurm cluster living in one folder, for the end-to-end test: munged, slurmctld and slurmd
# run as root, started and stopped by this script (no systemd), with their keys, state, spool, logs and
# pid files in DIR. Needs Debian's slurm-wlm and munge.
#
#   cluster.sh start DIR   writes DIR/slurm.conf (CPUs and memory measured now), starts the three
#                          daemons and waits until the node takes jobs; prints "SLURM_CONF=DIR/slurm.conf"
#   cluster.sh stop DIR    cancels every job, stops the daemons, and ends any process left from the
#                          cluster (found by SLURM_CONF=DIR/slurm.conf in its environment); safe to
#                          run twice or on a half-started cluster
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:-}"
dir="${2:-}"
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi
dir="$(mkdir -p "$dir" && cd "$dir" && pwd)"
conf="$dir/slurm.conf"
sock="$dir/munge/munge.socket"

log() { echo "cluster: $*" >&2; }

# a TCP port nothing listens on (bash's /dev/tcp connects or fails)
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  log "no free port found"
  return 1
}

# waits up to $1 seconds for the command after it to succeed
wait_for() {
  local limit="$1"
  shift
  local t0=$SECONDS
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS - t0 >= limit)); then return 1; fi
    sleep 0.5
  done
}

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  for bin in munged munge slurmctld slurmd sinfo; do
    command -v "$bin" >/dev/null || { log "$bin is not installed (apt-get install slurm-wlm munge)"; exit 3; }
  done
  if [[ -e "$conf" ]]; then
    log "$dir already holds a cluster; stop it first"
    exit 2
  fi
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  chmod 700 "$dir/munge"

  # the node as this machine is now: CPUs this process may use, and 90% of the memory free reports
  # (slurmd refuses a node configured with more memory than it finds)
  local cpus mem host
  cpus="$(nproc)"
  mem="$(free -m | awk '/^Mem:/ { printf "%d", $2 * 0.9 }')"
  host="$(hostname -s)"
  local ctld_port slurmd_port
  ctld_port="$(free_port)"
  slurmd_port="$(free_port)"
  while [[ "$slurmd_port" == "$ctld_port" ]]; do slurmd_port="$(free_port)"; done
  sed -e "s|@DIR@|$dir|g" -e "s|@HOST@|$host|g" -e "s|@CPUS@|$cpus|g" -e "s|@MEMORY@|$mem|g" \
    -e "s|@CTLD_PORT@|$ctld_port|g" -e "s|@SLURMD_PORT@|$slurmd_port|g" "$here/slurm.conf.in" >"$conf"
  log "node $host: CPUs=$cpus RealMemory=${mem}M; slurmctld on port $ctld_port, slurmd on $slurmd_port"

  # a fresh key for this cluster only; munged refuses keys others can read
  head -c 1024 /dev/urandom >"$dir/munge/munge.key"
  chmod 600 "$dir/munge/munge.key"
  SLURM_CONF="$conf" munged --force --key-file="$dir/munge/munge.key" --socket="$sock" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
  wait_for 20 bash -c "munge -n -S '$sock' | unmunge -S '$sock'" || { log "munged did not start (see $dir/log/munged.log)"; exit 1; }

  SLURM_CONF="$conf" slurmctld -f "$conf" -i
  wait_for 30 env SLURM_CONF="$conf" scontrol ping || { log "slurmctld did not start (see $dir/log/slurmctld.log)"; exit 1; }
  SLURM_CONF="$conf" slurmd -f "$conf" -N "$host"
  if ! wait_for 60 bash -c "SLURM_CONF='$conf' sinfo -h -N -o %T | grep -qx idle"; then
    log "the node did not come up: $(SLURM_CONF="$conf" sinfo -h -N -o '%N %T %E' 2>&1)"
    exit 1
  fi
  echo "SLURM_CONF=$conf"
}

stop() {
  if [[ -f "$conf" ]] && alive "$dir/slurmctld.pid"; then
    SLURM_CONF="$conf" scancel --full --quiet --user=root 2>/dev/null || true
    wait_for 30 bash -c "[[ -z \"\$(SLURM_CONF='$conf' squeue -h -o %i 2>/dev/null)\" ]]" || log "jobs still listed after 30 s"
  fi
  local pidfile
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    if alive "$pidfile"; then
      local pid
      pid="$(cat "$pidfile")"
      kill -TERM "$pid" 2>/dev/null || true
      wait_for 20 bash -c "! kill -0 $pid" || { log "pid $pid ($pidfile) ignored SIGTERM; killing it"; kill -KILL "$pid" 2>/dev/null || true; }
    fi
  done
  # anything still carrying this cluster's SLURM_CONF (slurmstepd, a job's processes) was started by
  # it: end it by its id. This script never exports SLURM_CONF, so it does not find itself.
  local p left=()
  for p in /proc/[0-9]*; do
    p="${p#/proc/}"
    [[ "$p" == "$$" ]] && continue
    if { tr '\0' '\n' <"/proc/$p/environ"; } 2>/dev/null | grep -qxF "SLURM_CONF=$conf"; then left+=("$p"); fi
  done
  if ((${#left[@]} > 0)); then
    log "ending leftover processes of the cluster: ${left[*]}"
    kill -KILL "${left[@]}" 2>/dev/null || true
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
