#!/usr/bin/env bash
# The device lab: emulated IoT dev boards in Linux network namespaces on one bridge.
#
#   bash tests/lab/lab.sh up N [--non-mbl LIST] [--ipv6-only LIST] [--key-only LIST] [--ws-avahi]
#   bash tests/lab/lab.sh down | status
#   bash tests/lab/lab.sh fault DEV KIND | heal DEV KIND
#     KIND: sshd-down utility-fails host-key-changed offline disk-full avahi-down
#   bash tests/lab/lab.sh extra up NAME [--ipv4 A.B.C.D/LEN] | extra down NAME
#   bash tests/lab/lab.sh ws-avahi up|down    (the workstation's avahi-daemon, as --ws-avahi starts it)
#     an extra host <prefix>-x<NAME> on the bridge, with nothing running (test responders, a second workstation)
#
# Every device is a namespace pws-d<n> with its own sshd, avahi-daemon and a private mount namespace in which
# per-device folders are bound over /scratch, /opt/arm and /config. The workstation is pws-ws; the bridge lives
# in pws-sw. Nothing here sends traffic outside these namespaces. See tests/lab/README.md.
#
# PWS_LAB_PREFIX (default pws) renames the namespaces, so two checkouts can each run a lab on one machine.
set -euo pipefail
umask 022

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
PREFIX=${PWS_LAB_PREFIX:-pws}
[[ "$PREFIX" =~ ^[a-z][a-z0-9]{0,7}$ ]] || { echo "lab: PWS_LAB_PREFIX must be 1-8 lower-case letters or digits, starting with a letter (got '$PREFIX')" >&2; exit 2; }
LAB="$REPO/.lab"; [ "$PREFIX" = pws ] || LAB="$REPO/.lab-$PREFIX"
STATE="$LAB/state.json"
SHAPE_FILE="$LAB/shape"
DEVROOT="$LAB/devices"
CREATED="$LAB/created-paths"     # host directories the lab had to create (mount points), removed by `down`
UTILITY_SRC="$SCRIPT_DIR/device/pelion-provisioning-util"
ACCOUNT_CA_SRC="$REPO/tests/fixtures/account-ca/ca.pem"
# CAs the emulated account trusts for bootstrap: the cloud emulator writes them (its trustedCaDir), every device
# sees the folder as /opt/arm/lab-trusted-cas
TRUSTED_CAS="$LAB/trusted-cas"
SW=$PREFIX-sw
WS=$PREFIX-ws
# which checkout owns the namespaces of this prefix: another checkout's lab is never torn down by this one
OWNER_FILE=/run/pws-lab-$PREFIX.owner
MAX_DEVICES=200
READY_TIMEOUT=${PWS_LAB_READY_TIMEOUT:-60}
FAULT_KINDS="sshd-down utility-fails host-key-changed offline disk-full avahi-down"

say() { echo "lab: $*" >&2; }
die() { echo "lab: $*" >&2; exit 1; }

usage() {
  cat >&2 <<'EOF'
usage: lab.sh up N [--non-mbl LIST] [--ipv6-only LIST] [--key-only LIST] [--ws-avahi]
       lab.sh down | status
       lab.sh fault DEV KIND | heal DEV KIND
         KIND: sshd-down utility-fails host-key-changed offline disk-full avahi-down
       lab.sh extra up NAME [--ipv4 A.B.C.D/LEN] | extra down NAME
       lab.sh ws-avahi up|down
LIST is comma-separated 1-based device indexes, e.g. --ipv6-only 3,9
EOF
  exit 2
}

preflight() {
  if [ "$(id -u)" != 0 ]; then
    echo "lab: must run as root (network namespaces need it): sudo npm run lab -- ${*:-up 10}"; exit 1
  fi
  if ! command -v ip >/dev/null 2>&1 || ! ip netns list >/dev/null 2>&1; then
    echo "lab: 'ip netns' is unavailable here (install iproute2 and run on a kernel with network namespaces)"; exit 1
  fi
  local tool
  for tool in /usr/sbin/sshd avahi-daemon ssh-keygen unshare nsenter setsid node; do
    command -v "$tool" >/dev/null 2>&1 || { echo "lab: '$tool' is missing (apt-get install openssh-server avahi-daemon util-linux nodejs)"; exit 1; }
  done
}

ns_exists() { [ -e "/run/netns/$1" ]; }

dev_ns() { echo "$PREFIX-d$1"; }

# Refuse to touch a lab of this prefix that another checkout brought up (its owner file names that checkout).
# A checkout that has since been deleted (a CI clone, a removed worktree) can never take its lab down: any
# checkout may then take it over, or its namespaces would block every later `up` of this prefix.
check_owner() {
  [ -f "$OWNER_FILE" ] || return 0
  local owner; owner=$(cat "$OWNER_FILE")
  [ "$owner" = "$REPO" ] && return 0
  if [ ! -f "$owner/tests/lab/lab.sh" ]; then
    say "the lab with prefix '$PREFIX' belonged to $owner, which is gone: this checkout takes it over"
    echo "$REPO" >"$OWNER_FILE"
    return 0
  fi
  if ns_exists "$SW"; then
    die "the lab with prefix '$PREFIX' belongs to $owner; use another PWS_LAB_PREFIX, or take that lab down from there"
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# argument helpers

parse_list() { # "3,1,3" -> "1 3" (validated against N)
  local raw=$1 n=$2 flag=$3 out=() i
  [ -n "$raw" ] || { echo ""; return; }
  IFS=',' read -r -a parts <<<"$raw"
  for i in "${parts[@]}"; do
    [[ "$i" =~ ^[0-9]+$ ]] || die "$flag: '$i' is not a device index"
    (( 10#$i >= 1 && 10#$i <= n )) || die "$flag: device $i is outside 1..$n"
    out+=("$((10#$i))")
  done
  printf '%s\n' "${out[@]}" | sort -n -u | tr '\n' ' ' | sed 's/ $//'
}

in_list() { [[ " $2 " == *" $1 "* ]]; }

dev_dir() { echo "$DEVROOT/d$1"; }

# ---------------------------------------------------------------------------------------------------------------
# down

kill_ns_pids() { # kill every process whose network namespace is $1 (they are all the lab's)
  local ns=$1 pids
  ns_exists "$ns" || return 0
  pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
  [ -n "${pids// /}" ] || return 0
  kill -TERM $pids 2>/dev/null || true
  local i
  for i in $(seq 1 30); do
    pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
    [ -n "${pids// /}" ] || return 0
    sleep 0.1
  done
  kill -KILL $pids 2>/dev/null || true
}

do_down() {
  local ns
  # processes first (sshd, avahi-daemon, holders, ssh sessions inside devices), in parallel per namespace
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$PREFIX-(d[0-9]+|x[a-z0-9]+|ws|sw)\$" || true); do
    kill_ns_pids "$ns" &
  done
  wait
  # the workstation's private system bus, if --ws-avahi started one
  if [ -f "$LAB/ws/dbus.pid" ]; then
    local p; p=$(cat "$LAB/ws/dbus.pid")
    if [ -n "$p" ] && [ "$(cat /proc/"$p"/comm 2>/dev/null)" = dbus-daemon ]; then
      kill -TERM "$p" 2>/dev/null || true
      for _ in $(seq 1 20); do [ -e /proc/"$p" ] || break; sleep 0.05; done
      kill -KILL "$p" 2>/dev/null || true
    fi
    rm -f /run/dbus/system_bus_socket
  fi
  # the daemons were orphans of an earlier `up`, so PID 1 reaps them; give it a moment so `ps` shows no <defunct>
  for _ in $(seq 1 30); do
    ps -eo stat=,comm= | awk '$1 ~ /^Z/ && $2 ~ /^(sshd|avahi-daemon|sleep|dbus-daemon)$/ {f=1} END {exit !f}' || break
    sleep 0.1
  done
  # namespaces (deleting a device namespace removes its veth pair; deleting pws-sw removes the bridge)
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$PREFIX-(d[0-9]+|x[a-z0-9]+|ws|sw)\$" || true); do
    ip netns del "$ns" 2>/dev/null || true
  done
  # mounts: everything the lab bound lives in private mount namespaces that died with their processes;
  # be thorough anyway in case something leaked into the host's namespace.
  if [ -d "$LAB" ]; then
    local m
    for m in $(awk -v p="$LAB/" 'index($2, p) == 1 {print $2}' /proc/self/mounts | sort -r); do
      umount -l "$m" 2>/dev/null || true
    done
  fi
  rm -rf "$DEVROOT" "$LAB/ws" "$LAB/etc" "$TRUSTED_CAS" "$STATE" "$SHAPE_FILE" "$LAB/count"
  rm -f "$OWNER_FILE"
  # Another lab may have bound its devices' folders over these mount points: removing one would detach them.
  if [ -f "$CREATED" ] && [ -z "$(ip netns list 2>/dev/null | awk '{print $1}' | grep -E -- '-sw$' || true)" ]; then
    local d
    for d in $(tac "$CREATED"); do
      # only empty directories the lab itself created; a mount point still in use elsewhere would not be empty
      rmdir "$d" 2>/dev/null || true
    done
    rm -f "$CREATED"
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# up

ensure_host_dir() { # create a mount point on the host if missing and remember to remove it at `down`
  local d=$1 parts="" p
  IFS='/' read -r -a segs <<<"${d#/}"
  for p in "${segs[@]}"; do
    parts="$parts/$p"
    if [ ! -e "$parts" ]; then
      mkdir "$parts"
      echo "$parts" >>"$CREATED"
    fi
  done
}

mac_for() { printf '02:70:77:%02x:%02x:%02x' "$(( $1 >> 16 & 255 ))" "$(( $1 >> 8 & 255 ))" "$(( $1 & 255 ))"; }

# create namespace $1 with eth0 on the bridge (bridge port $2), IPv4 $3 (may be empty; a /LEN is kept), MAC $4
make_host_ns() {
  local ns=$1 port=$2 ipv4=$3 mac=$4
  ip netns add "$ns"
  # no DAD: the fe80 address is usable at once and nothing stays "tentative"
  nsenter --net="/run/netns/$ns" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad'
  ip link add name "$port" netns "$SW" type veth peer name eth0 address "$mac" netns "$ns"
  ip -n "$SW" link set "$port" master br0 up
  ip -n "$ns" link set lo up
  nsenter --net="/run/netns/$ns" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/eth0/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/eth0/router_solicitations'
  if [ -n "$ipv4" ]; then [[ "$ipv4" == */* ]] || ipv4="$ipv4/16"; ip -n "$ns" addr add "$ipv4" dev eth0; fi
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add 224.0.0.0/4 dev eth0
}

ipv6_of() { # the eth0 link-local address, without scope; waits for it to be usable (not tentative)
  local ns=$1 out i
  for i in $(seq 1 100); do
    out=$(ip -n "$ns" -6 -o addr show dev eth0 scope link 2>/dev/null || true)
    if [ -n "$out" ] && [[ "$out" != *tentative* ]]; then
      awk '{split($4, a, "/"); print a[1]; exit}' <<<"$out"; return 0
    fi
    sleep 0.05
  done
  return 1
}

write_sshd_config() { # $1 dir, $2 mode
  local d=$1 mode=$2 pw=yes empty=yes
  if [ "$mode" = key-only ]; then pw=no; empty=no; fi
  cat >"$d/_lab/sshd_config" <<EOF
# generated by tests/lab/lab.sh (mode: $mode)
Port 22
AddressFamily any
HostKey $d/_lab/ssh_host_ed25519_key
PidFile $d/_lab/sshd.pid
PermitRootLogin yes
PubkeyAuthentication yes
AuthorizedKeysFile $d/_lab/authorized_keys
PasswordAuthentication $pw
PermitEmptyPasswords $empty
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
UseDNS no
PrintMotd no
PrintLastLog no
MaxStartups 100:30:200
MaxSessions 64
MaxAuthTries 10
LoginGraceTime 30
Subsystem sftp internal-sftp
EOF
}

write_avahi_config() { # $1 conf path, $2 host name, $3 use-ipv4 yes|no, $4 publish yes|no, $5 dbus yes|no
  local conf=$1 host=$2 v4=$3 publish=$4 dbus=$5
  {
    echo "[server]"
    echo "host-name=$host"
    echo "domain-name=local"
    echo "use-ipv4=$v4"
    echo "use-ipv6=yes"
    echo "allow-interfaces=eth0"
    echo "enable-dbus=$dbus"
    echo "ratelimit-interval-usec=1000000"
    echo "ratelimit-burst=1000"
    # avahi's default cache (4,096 records) holds 800 boards; the benchmark's yardstick browses 1,000
    echo "cache-entries-max=20000"
    echo "[wide-area]"
    echo "enable-wide-area=no"
    echo "[publish]"
    echo "publish-workstation=no"
    echo "publish-hinfo=no"
    if [ "$publish" = no ]; then
      echo "disable-publishing=yes"
      echo "publish-addresses=no"
      echo "publish-domain=no"
      echo "publish-aaaa-on-ipv4=no"
      echo "publish-a-on-ipv6=no"
    fi
    echo "[reflector]"
    echo "enable-reflector=no"
    echo "[rlimits]"
  } >"$conf"
}

write_service() { # $1 dir, $2 mbl yes|no
  local d=$1 mbl=$2 txt=""
  [ "$mbl" = yes ] && txt="    <txt-record>mblos</txt-record>"
  cat >"$d/_lab/services/ssh.service" <<EOF
<?xml version="1.0" standalone='no'?>
<!DOCTYPE service-group SYSTEM "avahi-service.dtd">
<service-group>
  <name replace-wildcards="yes">%h</name>
  <service>
    <type>_ssh._tcp</type>
    <port>22</port>
$txt
  </service>
</service-group>
EOF
}

holder_pid() { cat "$(dev_dir "$1")/_lab/holder.pid" 2>/dev/null; }

in_dev() { # run a command inside device $1's network + mount namespace
  local n=$1; shift
  local hp; hp=$(holder_pid "$n")
  [ -n "$hp" ] && [ -e "/proc/$hp" ] || die "device $n is not running (no namespace holder)"
  nsenter -t "$hp" -m -u -n -- "$@"
}

start_sshd() {
  local n=$1 d; d=$(dev_dir "$n")
  rm -f "$d/_lab/sshd.pid"
  local hp; hp=$(holder_pid "$n")
  setsid nsenter -t "$hp" -m -u -n -- /usr/sbin/sshd -D -e -f "$d/_lab/sshd_config" </dev/null >>"$d/_lab/sshd.log" 2>&1 9>&- &
  echo $! >"$d/_lab/sshd.launch.pid"
}

wait_sshd() {
  local n=$1 d i; d=$(dev_dir "$n")
  for i in $(seq 1 $((READY_TIMEOUT * 10))); do
    if [ -s "$d/_lab/sshd.pid" ] && \
       nsenter --net="/run/netns/$(dev_ns "$n")" ss -Hltn 'sport = :22' 2>/dev/null | grep -q LISTEN; then return 0; fi
    sleep 0.1
  done
  say "device $n: sshd did not start; log: $d/_lab/sshd.log"; tail -n 5 "$d/_lab/sshd.log" >&2 || true
  return 1
}

sshd_pid() { local p; p=$(cat "$(dev_dir "$1")/_lab/sshd.pid" 2>/dev/null || true); [ -n "$p" ] && [ -e "/proc/$p" ] && echo "$p"; }

stop_sshd() {
  local n=$1 p
  p=$(sshd_pid "$n" || true)
  [ -z "$p" ] && p=$(cat "$(dev_dir "$n")/_lab/sshd.launch.pid" 2>/dev/null || true)
  if [ -n "$p" ] && [ -e "/proc/$p" ]; then
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 1 40); do [ -e "/proc/$p" ] || break; sleep 0.05; done
    kill -KILL "$p" 2>/dev/null || true
  fi
  rm -f "$(dev_dir "$n")/_lab/sshd.pid"
}

start_avahi() {
  local n=$1 d; d=$(dev_dir "$n")
  local hp; hp=$(holder_pid "$n")
  : >"$d/_lab/avahi.log"
  setsid nsenter -t "$hp" -m -u -n -- avahi-daemon --no-chroot --no-rlimits -f "$d/_lab/avahi-daemon.conf" \
    </dev/null >>"$d/_lab/avahi.log" 2>&1 9>&- &
  echo $! >"$d/_lab/avahi.pid"
}

wait_avahi() {
  local n=$1 d i; d=$(dev_dir "$n")
  for i in $(seq 1 $((READY_TIMEOUT * 10))); do
    grep -q 'successfully established' "$d/_lab/avahi.log" 2>/dev/null && return 0
    sleep 0.1
  done
  say "device $n: avahi-daemon did not publish _ssh._tcp; log: $d/_lab/avahi.log"; tail -n 5 "$d/_lab/avahi.log" >&2 || true
  return 1
}

avahi_pid() { local p; p=$(cat "$(dev_dir "$1")/_lab/avahi.pid" 2>/dev/null || true); [ -n "$p" ] && [ "$(cat /proc/"$p"/comm 2>/dev/null)" = avahi-daemon ] && echo "$p"; }

stop_avahi() { # SIGTERM: avahi sends its goodbye packets before it exits
  local n=$1 p; p=$(avahi_pid "$n" || true)
  if [ -n "$p" ]; then
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 1 60); do [ -e "/proc/$p" ] || break; sleep 0.05; done
    kill -KILL "$p" 2>/dev/null || true
  fi
  rm -f "$(dev_dir "$n")/_lab/avahi.pid"
}

fingerprint() { ssh-keygen -l -f "$1" | awk '{print $2}'; }

# one device: files, namespace, mounts, daemons. Runs in the background, one per device.
setup_device() {
  local n=$1 mbl=$2 v6only=$3 mode=$4
  local d; d=$(dev_dir "$n")
  local ns; ns=$(dev_ns "$n"); local host
  if [ "$mbl" = yes ]; then host="mbed-linux-os-$n"; else host="linux-box-$n"; fi
  mkdir -p "$d/scratch" "$d/opt/arm" "$d/config/user/pal" "$d/_lab/services"
  cp "$UTILITY_SRC" "$d/opt/arm/pelion-provisioning-util"; chmod 755 "$d/opt/arm/pelion-provisioning-util"
  cp "$ACCOUNT_CA_SRC" "$d/opt/arm/lab-account-ca.pem"
  ln -sfn "$TRUSTED_CAS" "$d/opt/arm/lab-trusted-cas"
  ssh-keygen -q -t ed25519 -N '' -C "pws-lab-d$n" -f "$d/_lab/ssh_host_ed25519_key"
  cp "$LAB/client_key.pub" "$d/_lab/authorized_keys"
  write_sshd_config "$d" "$mode"
  local v4=yes; [ "$v6only" = yes ] && v4=no
  write_avahi_config "$d/_lab/avahi-daemon.conf" "$host" "$v4" yes no
  write_service "$d" "$mbl"
  local shadow="$LAB/etc/shadow-dev"; [ "$mode" = key-only ] && shadow="$LAB/etc/shadow-key-only"
  echo "$shadow" >"$d/_lab/shadow-path"

  local ipv4=""; [ "$v6only" = yes ] || ipv4="169.254.20.$n"
  make_host_ns "$ns" "veth-d$n" "$ipv4" "$(mac_for $((0x100 + n)))"

  # the holder keeps the device's private mount namespace alive; sshd and avahi are started inside it with nsenter
  rm -f "$d/_lab/holder.pid"
  setsid ip netns exec "$ns" unshare -m -u --propagation private bash -c '
    set -e
    d=$1; shadow=$2
    hostname "$3"
    mount -t tmpfs -o mode=755 tmpfs /run
    mkdir -p /run/sshd /run/avahi-daemon
    chown avahi:avahi /run/avahi-daemon
    mount --bind "$shadow" /etc/shadow
    mount --bind "$d/_lab/services" /etc/avahi/services
    mount --bind "$d/scratch" /scratch
    mount --bind "$d/opt/arm" /opt/arm
    mount --bind "$d/config" /config
    # A board has its own empty /root: the shell start-up files of the host would slow every SSH command.
    mount -t tmpfs -o mode=700 tmpfs /root
    echo $$ > "$d/_lab/holder.pid.tmp"; mv "$d/_lab/holder.pid.tmp" "$d/_lab/holder.pid"
    exec -a "pws-lab-holder-d${d##*/d}" sleep infinity' pws-holder "$d" "$shadow" "$host" </dev/null >"$d/_lab/holder.log" 2>&1 9>&- &
  local i
  for i in $(seq 1 200); do [ -s "$d/_lab/holder.pid" ] && break; sleep 0.05; done
  [ -s "$d/_lab/holder.pid" ] || { say "device $n: mount namespace setup failed: $(cat "$d/_lab/holder.log")"; return 1; }

  start_avahi "$n"
  start_sshd "$n"
  local ipv6; ipv6=$(ipv6_of "$ns") || { say "device $n: no IPv6 link-local address"; return 1; }
  wait_sshd "$n" || return 1
  wait_avahi "$n" || return 1

  local fp; fp=$(fingerprint "$d/_lab/ssh_host_ed25519_key.pub")
  local ipv4json=null; [ -n "$ipv4" ] && ipv4json="\"$ipv4\""
  printf '{ "index": %d, "namespace": "%s", "hostname": "%s", "isMbl": %s, "ipv4": %s, "ipv6": "%s", "mode": "%s", "hostKeyFingerprint": "%s", "root": "%s" }' \
    "$n" "$ns" "$host" "$([ "$mbl" = yes ] && echo true || echo false)" "$ipv4json" "$ipv6" "$mode" "$fp" "$d" \
    >"$d/_lab/state-entry.json"
}

write_state() { # assemble state.json from the per-device entries (also used after faults change a device)
  local n entries=() count; count=$(cat "$LAB/count")
  for n in $(seq 1 "$count"); do
    local e; e=$(cat "$(dev_dir "$n")/_lab/state-entry.json")
    local faults; faults=$(cd "$(dev_dir "$n")/_lab" && ls fault.* 2>/dev/null | sed 's/^fault\.//' | awk 'BEGIN{ORS=""} {printf "%s\"%s\"", (NR>1?", ":""), $0}' || true)
    entries+=("    ${e% \}}, \"faults\": [${faults}] }")
  done
  local wsav=false; [ -f "$LAB/ws/avahi.pid" ] && wsav=true
  {
    echo "{"
    echo "  \"prefix\": \"$PREFIX\","
    echo "  \"workstationNamespace\": \"$WS\","
    echo "  \"bridgeNamespace\": \"$SW\","
    echo "  \"iface\": \"eth0\","
    echo "  \"workstationIpv4\": \"169.254.99.1\","
    echo "  \"workstationAvahi\": $wsav,"
    echo "  \"clientKeyPath\": \"$LAB/client_key\","
    echo "  \"accountCaPath\": \"$ACCOUNT_CA_SRC\","
    echo "  \"trustedCaDir\": \"$TRUSTED_CAS\","
    echo "  \"shape\": \"$(cat "$SHAPE_FILE")\","
    echo "  \"devices\": ["
    local i last=$(( ${#entries[@]} - 1 ))
    for i in "${!entries[@]}"; do
      if [ "$i" -lt "$last" ]; then echo "${entries[$i]},"; else echo "${entries[$i]}"; fi
    done
    echo "  ]"
    echo "}"
  } >"$STATE.tmp"
  mv "$STATE.tmp" "$STATE"
}

start_ws_avahi() {
  mkdir -p "$LAB/ws/services"
  write_avahi_config "$LAB/ws/avahi-daemon.conf" "pws-workstation" yes no yes
  # avahi-browse talks to avahi-daemon over the system D-Bus; there is none here, so start a private one
  # on the standard socket path (path sockets are reachable from every network namespace).
  if [ ! -S /run/dbus/system_bus_socket ]; then
    ensure_host_dir /run/dbus
    cat >"$LAB/ws/dbus-system.conf" <<'EOF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
EOF
    setsid dbus-daemon --config-file="$LAB/ws/dbus-system.conf" --nofork --nopidfile </dev/null >"$LAB/ws/dbus.log" 2>&1 9>&- &
    echo $! >"$LAB/ws/dbus.pid"
    for _ in $(seq 1 100); do [ -S /run/dbus/system_bus_socket ] && break; sleep 0.05; done
    [ -S /run/dbus/system_bus_socket ] || die "private system D-Bus did not start: $(cat "$LAB/ws/dbus.log")"
  fi
  ensure_host_dir /run/avahi-daemon
  setsid ip netns exec "$WS" unshare -m --propagation private sh -c '
    mount -t tmpfs tmpfs /run/avahi-daemon && chown avahi:avahi /run/avahi-daemon &&
    mount --bind "$1/services" /etc/avahi/services &&
    exec avahi-daemon --no-chroot --no-rlimits -f "$1/avahi-daemon.conf"' pws-ws-avahi "$LAB/ws" \
    </dev/null >"$LAB/ws/avahi.log" 2>&1 9>&- &
  echo $! >"$LAB/ws/avahi.pid"
  for _ in $(seq 1 $((READY_TIMEOUT * 10))); do grep -q 'Server startup complete' "$LAB/ws/avahi.log" && return 0; sleep 0.1; done
  die "workstation avahi-daemon did not start: $(tail -n 3 "$LAB/ws/avahi.log")"
}

stop_ws_avahi() { # SIGTERM to the workstation's avahi-daemon (found by its namespace), then forget its pid file
  local p
  for p in $(ip netns pids "$WS" 2>/dev/null); do
    [ "$(cat /proc/"$p"/comm 2>/dev/null)" = avahi-daemon ] || continue
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 1 60); do [ -e /proc/"$p" ] || break; sleep 0.05; done
    kill -KILL "$p" 2>/dev/null || true
  done
  rm -f "$LAB/ws/avahi.pid"
}

# The benchmark's yardstick (avahi-browse) needs the workstation's avahi-daemon; everything else runs without it.
do_ws_avahi() {
  lab_is_up || die "the device lab is not up"
  case ${1:-} in
    up) [ -f "$LAB/ws/avahi.pid" ] || start_ws_avahi ;;
    down) stop_ws_avahi ;;
    *) usage ;;
  esac
  write_state
  say "workstation avahi-daemon ${1}"
}

lab_is_up() {
  [ -f "$STATE" ] && [ -f "$SHAPE_FILE" ] && ns_exists "$SW" && ns_exists "$WS" || return 1
  local count n; count=$(cat "$LAB/count" 2>/dev/null) || return 1
  for n in $(seq 1 "$count"); do
    ns_exists "$(dev_ns "$n")" || return 1
    local hp; hp=$(holder_pid "$n"); [ -n "$hp" ] && [ -e "/proc/$hp" ] || return 1
  done
}

do_up() {
  [ $# -ge 1 ] || usage
  local n=$1; shift
  [[ "$n" =~ ^[0-9]+$ ]] && (( 10#$n >= 1 && 10#$n <= MAX_DEVICES )) || die "up: N must be 1..$MAX_DEVICES (got '$n')"
  n=$((10#$n))
  local nonmbl="" v6="" keyonly="" wsavahi=no
  while [ $# -gt 0 ]; do
    case $1 in
      --non-mbl) [ $# -ge 2 ] || usage; nonmbl=$(parse_list "$2" "$n" --non-mbl); shift 2 ;;
      --ipv6-only) [ $# -ge 2 ] || usage; v6=$(parse_list "$2" "$n" --ipv6-only); shift 2 ;;
      --key-only) [ $# -ge 2 ] || usage; keyonly=$(parse_list "$2" "$n" --key-only); shift 2 ;;
      --ws-avahi) wsavahi=yes; shift ;;
      *) say "up: unknown option '$1'"; usage ;;
    esac
  done
  local shape="n=$n non-mbl=[$nonmbl] ipv6-only=[$v6] key-only=[$keyonly] ws-avahi=$wsavahi"
  if lab_is_up && [ "$(cat "$SHAPE_FILE")" = "$shape" ]; then
    say "already up ($shape)"; return 0
  fi
  local t0; t0=$(date +%s.%N)
  if ns_exists "$SW" || ns_exists "$WS" || [ -f "$STATE" ] || [ -d "$DEVROOT" ]; then say "tearing down the previous lab"; do_down; fi

  mkdir -p "$LAB/etc" "$DEVROOT" "$TRUSTED_CAS"
  echo "$REPO" >"$OWNER_FILE"
  [ -f "$LAB/client_key" ] || ssh-keygen -q -t ed25519 -N '' -C pws-lab-client -f "$LAB/client_key"
  [ -f "$UTILITY_SRC" ] || die "missing $UTILITY_SRC"
  [ -f "$ACCOUNT_CA_SRC" ] || die "missing $ACCOUNT_CA_SRC"
  # private shadow copies: dev mode has an empty root password; key-only has no usable password (not locked)
  sed -E 's/^root:[^:]*:/root::/' /etc/shadow >"$LAB/etc/shadow-dev"
  sed -E 's/^root:[^:]*:/root:*:/' /etc/shadow >"$LAB/etc/shadow-key-only"
  chmod 600 "$LAB/etc/shadow-dev" "$LAB/etc/shadow-key-only"
  ensure_host_dir /scratch; ensure_host_dir /opt/arm; ensure_host_dir /config
  echo "$shape" >"$SHAPE_FILE"
  echo "$n" >"$LAB/count"

  # bridge and workstation
  ip netns add "$SW"
  ip -n "$SW" link set lo up
  ip -n "$SW" link add br0 type bridge
  ip -n "$SW" link set br0 type bridge mcast_snooping 0
  nsenter --net="/run/netns/$SW" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/br0/disable_ipv6'
  ip -n "$SW" link set br0 up
  make_host_ns "$WS" veth-ws 169.254.99.1 "$(mac_for 1)"

  # devices, in parallel
  local i pids=() failed=0
  for i in $(seq 1 "$n"); do
    local mbl=yes v6o=no mode=dev
    in_list "$i" "$nonmbl" && mbl=no
    in_list "$i" "$v6" && v6o=yes
    in_list "$i" "$keyonly" && mode=key-only
    setup_device "$i" "$mbl" "$v6o" "$mode" &
    pids+=($!)
    # stagger a little so 50 avahi cold starts don't all probe in the same instant on 2 cores
    (( i % 10 == 0 )) && sleep 0.05
  done
  for i in "${pids[@]}"; do wait "$i" || failed=1; done
  ipv6_of "$WS" >/dev/null || failed=1
  if [ "$failed" = 1 ]; then
    say "some devices failed to come up; tearing down"; do_down; exit 1
  fi
  [ "$wsavahi" = yes ] && start_ws_avahi
  write_state
  local t1; t1=$(date +%s.%N)
  say "up: $n devices in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s ($shape); state: $STATE"
}

# ---------------------------------------------------------------------------------------------------------------
# faults

set_fault_mark() { local d; d=$(dev_dir "$1"); if [ "$3" = on ]; then touch "$d/_lab/fault.$2"; else rm -f "$d/_lab/fault.$2"; fi; }

do_fault() { # $1 fault|heal, $2 DEV, $3 KIND
  local action=$1 n=${2:-} kind=${3:-}
  [ -n "$n" ] && [ -n "$kind" ] || usage
  [[ "$n" =~ ^[0-9]+$ ]] || die "$action: '$n' is not a device index"
  n=$((10#$n))
  [[ " $FAULT_KINDS " == *" $kind "* ]] || die "$action: unknown kind '$kind' (one of: $FAULT_KINDS)"
  lab_is_up || die "the device lab is not up"
  (( n >= 1 && n <= $(cat "$LAB/count") )) || die "$action: no device $n"
  local d; d=$(dev_dir "$n")
  case "$action:$kind" in
    fault:sshd-down) stop_sshd "$n" ;;
    heal:sshd-down) [ -n "$(sshd_pid "$n" || true)" ] || { start_sshd "$n"; wait_sshd "$n"; } ;;
    fault:utility-fails) touch "$d/opt/arm/.fail-provision" ;;
    heal:utility-fails) rm -f "$d/opt/arm/.fail-provision" ;;
    fault:host-key-changed)
      rm -f "$d/_lab/ssh_host_ed25519_key" "$d/_lab/ssh_host_ed25519_key.pub"
      ssh-keygen -q -t ed25519 -N '' -C "pws-lab-d$n-rekeyed" -f "$d/_lab/ssh_host_ed25519_key"
      stop_sshd "$n"; start_sshd "$n"; wait_sshd "$n"
      local fp; fp=$(fingerprint "$d/_lab/ssh_host_ed25519_key.pub")
      sed -i -E "s|\"hostKeyFingerprint\": \"[^\"]*\"|\"hostKeyFingerprint\": \"$fp\"|" "$d/_lab/state-entry.json"
      ;;
    heal:host-key-changed) : ;;  # the new key stays
    fault:offline) ip -n "$SW" link set "veth-d$n" down ;;
    heal:offline)
      ip -n "$SW" link set "veth-d$n" up
      # like a board plugged back in: re-announce (touching the service file and SIGHUP re-registers it)
      local ap; ap=$(avahi_pid "$n" || true)
      if [ -n "$ap" ]; then touch "$d/_lab/services/ssh.service"; kill -HUP "$ap" 2>/dev/null || true; fi
      ;;
    fault:disk-full)
      if ! in_dev "$n" sh -c 'mount | grep -q " /scratch type tmpfs"'; then
        in_dev "$n" sh -c 'mount -t tmpfs -o size=4k,nr_inodes=3,mode=1777 pws-lab-full /scratch &&
          mkdir /scratch/.pws-lab-disk-full 2>/dev/null; dd if=/dev/zero of=/scratch/.pws-lab-filler bs=4k count=16 2>/dev/null; true'
      fi
      ;;
    heal:disk-full)
      while in_dev "$n" sh -c 'mount | grep -q " /scratch type tmpfs"'; do in_dev "$n" umount /scratch; done ;;
    fault:avahi-down) stop_avahi "$n" ;;
    heal:avahi-down)
      if [ -z "$(avahi_pid "$n" || true)" ]; then start_avahi "$n"; wait_avahi "$n"; fi ;;
  esac
  case "$action:$kind" in
    heal:host-key-changed) ;;
    fault:host-key-changed) ;;   # not a lasting condition
    fault:*) set_fault_mark "$n" "$kind" on ;;
    heal:*) set_fault_mark "$n" "$kind" off ;;
  esac
  write_state
  say "$action $kind on device $n: done"
}

# ---------------------------------------------------------------------------------------------------------------
# extra hosts: empty namespaces on the bridge for tests (a hostile responder, a workstation without network access)

do_extra() { # $1 up|down, $2 NAME, [--ipv4 A.B.C.D/LEN]
  local action=${1:-} name=${2:-} ipv4=""
  [[ "$name" =~ ^[a-z0-9]{1,6}$ ]] || die "extra: NAME must be 1-6 lower-case letters or digits (got '$name')"
  shift 2
  while [ $# -gt 0 ]; do
    case $1 in
      --ipv4) [ $# -ge 2 ] || usage; ipv4=$2; shift 2 ;;
      *) say "extra: unknown option '$1'"; usage ;;
    esac
  done
  lab_is_up || die "the device lab is not up"
  local ns="$PREFIX-x$name" port="veth-x$name"
  case $action in
    up)
      if ns_exists "$ns"; then kill_ns_pids "$ns"; ip netns del "$ns"; fi
      make_host_ns "$ns" "$port" "$ipv4" "$(mac_for $((0x20000 + $(printf %s "$name" | cksum | cut -d' ' -f1) % 0xffff)))"
      ipv6_of "$ns" >/dev/null || die "extra $name: no IPv6 link-local address"
      say "extra host $ns up"
      ;;
    down)
      if ns_exists "$ns"; then kill_ns_pids "$ns"; ip netns del "$ns"; fi
      say "extra host $ns down"
      ;;
    *) usage ;;
  esac
}

# ---------------------------------------------------------------------------------------------------------------

take_lock() { # one lab command at a time (tests may fault/heal devices in parallel)
  mkdir -p "$LAB"
  exec 9>"$LAB/lock"
  flock -w 300 9 || die "another lab command holds $LAB/lock"
}

cmd=${1:-}
[ -n "$cmd" ] || usage
shift
case $cmd in
  up) preflight up "$@"; take_lock; check_owner; do_up "$@" ;;
  down) preflight down; take_lock; check_owner; do_down; say "down" ;;
  status)
    if [ -f "$STATE" ] && ns_exists "$SW"; then cat "$STATE"; else echo "lab: the device lab is not up" >&2; exit 1; fi ;;
  fault|heal) preflight "$cmd" "$@"; take_lock; check_owner; do_fault "$cmd" "$@" ;;
  extra) preflight extra "$@"; take_lock; check_owner; do_extra "$@" ;;
  ws-avahi) preflight ws-avahi "$@"; take_lock; check_owner; do_ws_avahi "$@" ;;
  -h|--help|help) usage ;;
  *) say "unknown command '$cmd'"; usage ;;
esac
