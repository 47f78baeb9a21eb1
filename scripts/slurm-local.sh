#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, for the Slurm executor's tests and for trying
# `bce3s run --executor slurm` without a cluster.
#
#   scripts/slurm-local.sh start    install Debian's slurm + munge if missing, start the daemons
#   scripts/slurm-local.sh stop     cancel its jobs, stop exactly the daemons `start` started
#   scripts/slurm-local.sh status   whether it runs, and the export line for the clients
#
# Everything lives under $BCE3S_SLURM_DIR (default /tmp/bce3s-slurm): slurm.conf, its own MUNGE
# key and socket, state, logs and the daemons' PIDs. No systemd, no cgroups, no accounting
# database; the node's CPUs and memory come from `slurmd -C`. Clients find the cluster through
#   export SLURM_CONF=$BCE3S_SLURM_DIR/slurm.conf
# (bce3s's tests look there too). Starting needs root: slurmd runs jobs as their users.
# Jobs inherit the daemons' niceness: `nice -n 19 scripts/slurm-local.sh start` on a busy machine.
set -euo pipefail

DIR=${BCE3S_SLURM_DIR:-/tmp/bce3s-slurm}
CONF=$DIR/slurm.conf
PIDS=$DIR/pids
PACKAGES="slurmctld slurmd slurm-client munge"
CTLD_PORT=${BCE3S_SLURMCTLD_PORT:-6817}
SLURMD_PORT=${BCE3S_SLURMD_PORT:-6818}
export SLURM_CONF=$CONF

say() { echo "slurm-local: $*"; }
die() { echo "slurm-local: error: $*" >&2; exit 1; }

install_missing() {
  local missing=""
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  [ "${BCE3S_SLURM_NO_INSTALL:-0}" = 1 ] && die "missing Debian packages:$missing (BCE3S_SLURM_NO_INSTALL=1)"
  [ "$(id -u)" = 0 ] || die "missing Debian packages:$missing; run as root to install them"
  say "installing$missing"
  apt-get update -qq
  # No init system runs the packaged services here: policy-rc.d would only matter under one.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing </dev/null
}

# True when the controller answers and our node is idle (or partly/fully allocated: it is up).
node_up() {
  local state
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -n1) || return 1
  case "$state" in idle|mixed|allocated|completing) return 0 ;; *) return 1 ;; esac
}

# True when the recorded PID is alive and still that daemon (not a PID reused after a reboot).
is_ours() { [ "$(cat "/proc/$2/comm" 2>/dev/null)" = "$1" ]; }

running() {
  [ -f "$PIDS" ] || return 1
  local name pid
  while read -r name pid; do is_ours "$name" "$pid" || return 1; done < "$PIDS"
}

write_config() {
  local node hardware cpus memory
  node=$(hostname -s)
  hardware=$(slurmd -C | head -n1)
  cpus=$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$hardware")
  memory=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$hardware")
  [ -n "$cpus" ] && [ -n "$memory" ] || die "cannot read CPUs and memory from \`slurmd -C\`: $hardware"
  cat > "$CONF.tmp" <<EOF
# Written by scripts/slurm-local.sh: a single-node cluster on $node for tests.
ClusterName=bce3s-local
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge/munge.socket
StateSaveLocation=$DIR/ctld
SlurmdSpoolDir=$DIR/slurmd
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/jobcomp.txt
SchedulerParameters=batch_sched_delay=0
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
KillWait=5
MinJobAge=300
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$CONF.tmp" "$CONF"
}

start_munge() {
  mkdir -p "$DIR/munge"
  chmod 700 "$DIR/munge"
  if [ ! -s "$DIR/munge/munge.key" ]; then
    dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$DIR/munge/munge.key"
  fi
  setsid munged --foreground --force --key-file="$DIR/munge/munge.key" --socket="$DIR/munge/munge.socket" \
    --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/munge/munged.log" --seed-file="$DIR/munge/munged.seed" \
    </dev/null >>"$DIR/munge/munged.out" 2>&1 &
  echo "munged $!" >> "$PIDS"
  for _ in $(seq 50); do [ -S "$DIR/munge/munge.socket" ] && return 0; sleep 0.1; done
  die "munged did not create its socket; see $DIR/munge/munged.log"
}

# Closes every descriptor above stderr that this script inherited (bash's own 255 aside): a daemon
# holding the caller's pipe open would keep the caller waiting for its end forever.
close_inherited_descriptors() {
  local fd
  for fd in $(ls /proc/$$/fd); do
    case "$fd" in 0|1|2|255) ;; *) eval "exec $fd>&-" 2>/dev/null || true ;; esac
  done
}

start() {
  if running && node_up; then say "already running ($CONF)"; status_line; return 0; fi
  close_inherited_descriptors
  [ -f "$PIDS" ] && stop
  install_missing
  [ "$(id -u)" = 0 ] || die "starting the daemons needs root"
  local began=$SECONDS
  mkdir -p "$DIR/ctld" "$DIR/slurmd"
  rm -f "$PIDS"
  write_config
  start_munge
  setsid slurmctld -D -i -f "$CONF" </dev/null >>"$DIR/slurmctld.out" 2>&1 &
  echo "slurmctld $!" >> "$PIDS"
  setsid slurmd -D -f "$CONF" -N "$(hostname -s)" </dev/null >>"$DIR/slurmd.out" 2>&1 &
  echo "slurmd $!" >> "$PIDS"
  for _ in $(seq 600); do
    if node_up; then say "up in $((SECONDS - began)) s"; status_line; return 0; fi
    running || break
    sleep 0.1
  done
  echo "slurm-local: the node did not become idle; last lines of the logs:" >&2
  tail -n 5 "$DIR"/slurmctld.log "$DIR"/slurmd.log "$DIR"/*.out "$DIR"/munge/munged.log >&2 2>/dev/null || true
  stop
  exit 1
}

stop() {
  if [ ! -f "$PIDS" ]; then say "not running (no $PIDS)"; return 0; fi
  if running; then scancel --full --quiet --partition=local 2>/dev/null || true; fi
  # Daemons in reverse order of start; each PID is one this script recorded.
  local name pid
  tac "$PIDS" | while read -r name pid; do
    is_ours "$name" "$pid" || continue
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    say "stopped $name ($pid)"
  done
  rm -f "$PIDS"
}

status_line() {
  echo "export SLURM_CONF=$CONF"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if running && node_up; then say "running"; sinfo -N -o '%N %T %c %m'; status_line
    else say "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
