#!/usr/bin/env bash
# Capture genuine scheduler log lines from real daemons into fixtures/real/.
#
#   sudo scripts/capture-real-logs.sh [OUTDIR]      (default OUTDIR: fixtures/real)
#
# What it does, phase by phase (about 45 minutes in all; CI does not run it):
#   debian-cron       Debian's `cron` at its default log level (-L 1)
#   debian-cron-L5    the same crontab, `cron -L 5` (start + failed jobs, the
#                     setting /etc/default/cron suggests)
#   debian-cron-L15   the same crontab, `cron -L 15` (start, end, failed, pids)
#   anacron           `anacron -f -n` over a private anacrontab and spool
#   busybox-crond     `busybox crond -f -S` at its default log level 8 (package
#                     busybox-static: Debian's `busybox` package has no crond)
#   busybox-crond-l0  the same crontab at `-l 0` (most verbose)
#
# Each phase starts its own rsyslogd (there is no init system here), which
# writes every message it gets on /dev/log through several templates; starts
# the daemon by hand with TZ=Europe/Berlin; installs real crontab entries;
# waits for them to run; stops the daemon, removes the crontab entries it
# installed and stops rsyslogd. Then only the log files are copied into
# OUTDIR/<phase>/ -- byte for byte, nothing is edited. case.toml and README.md
# in those folders are written by hand from what the capture shows and are
# never touched here: after a re-run, check them again (times and pids change).
#
# Requirements: Debian 12 (bookworm), root, no syslog daemon and no cron
# daemon running, no MTA installed (cron must log "No MTA installed").
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUTDIR=${1:-$REPO/fixtures/real}
RUN=/var/tmp/crontriage-capture      # scratch: configs, pid files, raw captures
CRON_D=/etc/cron.d/crontriage-capture
OTHER_USER=crontest                  # the non-root crontab owner
export TZ=Europe/Berlin              # daemons log local time; cases pass --tz
export LC_ALL=C
# Daemons start with the bare environment an init system would give them
# (PATH and TZ only), not with this shell's.
DAEMON_ENV=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TZ="$TZ")

log() { printf '[capture %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root"
[ -r /etc/debian_version ] || die "needs Debian (apt-get, Debian's cron)"
[ -e /dev/log ] && die "/dev/log exists: another syslog daemon is running; stop it first"

# --- packages ---------------------------------------------------------------
log "installing packages"
apt-get update -qq
# --no-install-recommends: cron and anacron recommend an MTA (exim4); with one
# installed cron mails job output instead of logging "No MTA installed".
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    cron anacron rsyslog busybox-static tzdata coreutils >/dev/null
for mta in /usr/sbin/sendmail /usr/lib/sendmail; do
    [ -e "$mta" ] && die "$mta exists: an MTA is installed; remove it (apt-get purge exim4-base ...)"
done
busybox crond --help >/dev/null 2>&1 || die "busybox has no crond applet (need busybox-static)"
if pid=$(cat /run/crond.pid 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    die "a cron daemon (pid $pid) is running; stop it first"
fi

rm -rf "$RUN"
mkdir -p "$RUN"
{
    echo "# dpkg -l at capture time ($(date -Iseconds))"
    dpkg -l cron cron-daemon-common anacron rsyslog busybox-static libpam-modules libpam-runtime dash coreutils tzdata | grep '^ii'
    echo "# uname -r: $(uname -r)"
} >"$RUN/versions.txt"

created_user=no
if ! id "$OTHER_USER" >/dev/null 2>&1; then
    useradd -m -s /bin/sh "$OTHER_USER"
    created_user=yes
fi

RSYSLOG_PID=
CRON_PID=
cleanup() {
    set +e
    [ -n "$CRON_PID" ] && kill "$CRON_PID" 2>/dev/null && wait "$CRON_PID" 2>/dev/null
    rm -f "$CRON_D"
    crontab -r -u "$OTHER_USER" 2>/dev/null
    [ -n "$RSYSLOG_PID" ] && kill "$RSYSLOG_PID" 2>/dev/null && wait "$RSYSLOG_PID" 2>/dev/null
    if [ "$created_user" = yes ]; then userdel -r "$OTHER_USER" 2>/dev/null; fi
}
trap cleanup EXIT

# --- rsyslogd ---------------------------------------------------------------
# One rsyslogd per phase, writing into $RUN/<phase>/:
#   syslog             every message, RSYSLOG_TraditionalFileFormat (RFC 3164 style)
#   syslog.fileformat  every message, RSYSLOG_FileFormat (RFC 3339 µs + zone)
#   syslog.rfc5424     every message, RSYSLOG_SyslogProtocol23Format (RFC 5424)
#   syslog.stock       Debian's stock rule `*.*;auth,authpriv.none -/var/log/syslog`
#   auth.log           Debian's stock rule `auth,authpriv.* /var/log/auth.log`
start_rsyslog() {
    local dir=$1
    mkdir -p "$dir" "$RUN/rsyslog-work"
    cat >"$RUN/rsyslog.conf" <<EOF
global(workDirectory="$RUN/rsyslog-work")
module(load="imuxsock")
*.*                    action(type="omfile" file="$dir/syslog" template="RSYSLOG_TraditionalFileFormat")
*.*                    action(type="omfile" file="$dir/syslog.fileformat" template="RSYSLOG_FileFormat")
*.*                    action(type="omfile" file="$dir/syslog.rfc5424" template="RSYSLOG_SyslogProtocol23Format")
*.*;auth,authpriv.none action(type="omfile" file="$dir/syslog.stock" template="RSYSLOG_TraditionalFileFormat")
auth,authpriv.*        action(type="omfile" file="$dir/auth.log" template="RSYSLOG_TraditionalFileFormat")
EOF
    "${DAEMON_ENV[@]}" rsyslogd -n -f "$RUN/rsyslog.conf" -i "$RUN/rsyslogd.pid" &
    RSYSLOG_PID=$!
    for _ in $(seq 50); do [ -S /dev/log ] && return 0; sleep 0.2; done
    die "rsyslogd did not create /dev/log"
}
stop_rsyslog() {
    sleep 2                       # let the last messages reach the files
    kill "$RSYSLOG_PID"
    wait "$RSYSLOG_PID" 2>/dev/null || true
    RSYSLOG_PID=
}

# Sleep until the wall clock shows second $1 of a minute.
wait_second() {
    local s
    s=$((10#$(date +%S)))
    sleep $(((60 + $1 - s) % 60))
}

# --- crontab used by every Debian cron phase ---------------------------------
# Each entry runs at its own minute (so every run of the case has its own
# start time) and once more in one shared "burst" minute where all start in
# the same second, interleaving their lines.
ROOT_JOBS=(
    'true'
    'echo hello'
    'exit 1'
    "sh -c 'exit 3'"
    "sh -c 'kill -9 \$\$'"
    'kill -9 $$'
    'timeout -s KILL 2 sleep 30'
    "echo ')' ; exit 2"
    'echo "(unbalanced"'
)
OTHER_JOBS=(
    'true'
    'exit 1'
)

install_crontabs() {              # $1 = minute of the first job
    local m=$1 burst i n=0 other
    burst=$(((m + ${#ROOT_JOBS[@]} + ${#OTHER_JOBS[@]}) % 60))
    {
        echo "# crontriage capture: root jobs (removed again by scripts/capture-real-logs.sh)"
        echo "SHELL=/bin/sh"
        echo "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin"
        for i in "${!ROOT_JOBS[@]}"; do
            echo "$(((m + n) % 60)),$burst * * * * root ${ROOT_JOBS[$i]}"
            n=$((n + 1))
        done
    } >"$CRON_D"
    chmod 644 "$CRON_D"
    other=$RUN/crontab.$OTHER_USER
    : >"$other"
    for i in "${!OTHER_JOBS[@]}"; do
        echo "$(((m + n) % 60)),$burst * * * * ${OTHER_JOBS[$i]}" >>"$other"
        n=$((n + 1))
    done
    crontab -u "$OTHER_USER" "$other"
    cp "$CRON_D" "$RUN/cron.d-crontriage-capture.used"
}

remove_crontabs() {
    rm -f "$CRON_D"
    crontab -r -u "$OTHER_USER" 2>/dev/null || true
}

cron_phase() {                    # $1 = phase name, rest = cron flags
    local name=$1 start njobs
    shift
    log "phase $name: cron -f $*"
    start_rsyslog "$RUN/$name"
    wait_second 5
    start=$((10#$(date +%M)))
    install_crontabs $(((start + 1) % 60))
    cp "$CRON_D" "$RUN/$name/crontab.root"
    crontab -l -u "$OTHER_USER" >"$RUN/$name/crontab.$OTHER_USER"
    "${DAEMON_ENV[@]}" cron -f "$@" >"$RUN/$name.cron.out" 2>&1 &
    CRON_PID=$!
    njobs=$((${#ROOT_JOBS[@]} + ${#OTHER_JOBS[@]}))
    # first job at the next full minute (~55 s away), the burst njobs minutes
    # later; the slowest job (timeout) ends 2 s after its start.
    sleep $((55 + njobs * 60 + 30))
    kill "$CRON_PID"
    wait "$CRON_PID" 2>/dev/null || true
    CRON_PID=
    remove_crontabs
    stop_rsyslog
}

# --- anacron ----------------------------------------------------------------
anacron_phase() {
    local dir=$RUN/anacron ana=$RUN/anacron-etc
    log "phase anacron"
    mkdir -p "$ana/spool" "$ana/cron.daily"
    cat >"$ana/anacrontab" <<'EOF'
# crontriage capture anacrontab (private: anacron -t; the system's
# /etc/anacrontab and /var/spool/anacron are not touched)
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin
HOME=/root
LOGNAME=root

# period delay job-identifier command
1	0	ok-true	true
1	0	fail-exit3	exit 3
1	0	output-echo	echo "hello from anacron"
1	0	killed-self	kill -9 $$
1	0	killed-timeout	timeout -s KILL 2 sleep 30
EOF
    echo "1	0	cron.daily	run-parts --report $ana/cron.daily" >>"$ana/anacrontab"
    printf '#!/bin/sh\n# quiet and fine\nexit 0\n' >"$ana/cron.daily/10-quiet"
    printf '#!/bin/sh\necho "20-fails: disk check failed" >&2\nexit 1\n' >"$ana/cron.daily/20-fails"
    chmod 755 "$ana/cron.daily/"*
    start_rsyslog "$dir"
    cp "$ana/anacrontab" "$dir/anacrontab.used"
    # The normal invocation (no -d): anacron forks and logs to syslog only.
    "${DAEMON_ENV[@]}" anacron -f -n -t "$ana/anacrontab" -S "$ana/spool"
    for _ in $(seq 120); do
        grep -q 'anacron\[[0-9]*\]: Normal exit' "$dir/syslog" 2>/dev/null && break
        sleep 1
    done
    grep -q 'Normal exit' "$dir/syslog" || die "anacron did not finish within 2 minutes"
    stop_rsyslog
}

# --- busybox crond ----------------------------------------------------------
# Jobs of two kinds: bare commands, and small scripts that log their own
# output and exit code to jobs/<name>.log (what --job-log reads). busybox
# crond logs only the start of a job.
busybox_phase() {                 # $1 = phase name, $2 = crond log level
    local name=$1 level=$2
    local dir=$RUN/$1 tabs=$RUN/$1-crontabs bin=$RUN/busybox-bin start m
    log "phase $name: busybox crond -f -S -l $level"
    mkdir -p "$tabs" "$bin" "$dir/jobs"
    write_job() {                 # $1 = name, $2 = body (sh)
        cat >"$bin/$1" <<EOF
#!/bin/sh
# crontriage capture job: runs its body, logs output and exit code to jobs/$1.log
log=$dir/jobs/$1.log
{
    echo "\$(date -Iseconds) start"
    ( $2 )
    rc=\$?
    echo "\$(date -Iseconds) exit code \$rc"
} >>"\$log" 2>&1
exit \$rc
EOF
        chmod 755 "$bin/$1"
    }
    write_job report-ok 'echo "report: 42 rows written"'
    write_job sync-fail 'echo "rsync: connection refused" >&2; exit 23'
    write_job import-killed 'timeout -s KILL 2 sleep 30'
    start_rsyslog "$dir"
    wait_second 5
    start=$((10#$(date +%M)))
    m=$(((start + 1) % 60))
    cat >"$tabs/root" <<EOF
# crontriage capture: busybox crond, user root
$m * * * * true
$m * * * * exit 1
$m * * * * sh -c 'exit 3'
$m * * * * echo hello
$m * * * * timeout -s KILL 2 sleep 30
$m * * * * $bin/report-ok
$m * * * * $bin/sync-fail
$m * * * * $bin/import-killed
EOF
    cat >"$tabs/$OTHER_USER" <<EOF
$m * * * * true
EOF
    cp "$tabs/root" "$dir/crontab.root"
    cp "$tabs/$OTHER_USER" "$dir/crontab.$OTHER_USER"
    # job output that crond does not mail lands on crond's stdout
    "${DAEMON_ENV[@]}" busybox crond -f -S -l "$level" -c "$tabs" >"$RUN/$name.crond.out" 2>&1 &
    CRON_PID=$!
    sleep $((55 + 30))
    kill "$CRON_PID"
    wait "$CRON_PID" 2>/dev/null || true
    CRON_PID=
    stop_rsyslog
}

# --- run --------------------------------------------------------------------
# PHASES picks a subset (default: all), e.g. PHASES="anacron busybox-crond".
PHASES=${PHASES:-debian-cron debian-cron-L5 debian-cron-L15 anacron busybox-crond busybox-crond-l0}
copy() {                          # $1 = phase, rest = files
    local phase=$1 f
    shift
    for f in "$@"; do
        mkdir -p "$(dirname "$OUTDIR/$phase/$f")"
        cp "$RUN/$phase/$f" "$OUTDIR/$phase/$f"
    done
    log "copied $phase: $* -> $OUTDIR/$phase/"
}
for phase in $PHASES; do
    case $phase in
    debian-cron)
        cron_phase debian-cron
        copy debian-cron syslog syslog.fileformat syslog.rfc5424 syslog.stock auth.log ;;
    debian-cron-L5)
        cron_phase debian-cron-L5 -L 5
        copy debian-cron-L5 syslog ;;
    debian-cron-L15)
        cron_phase debian-cron-L15 -L 15
        copy debian-cron-L15 syslog ;;
    anacron)
        anacron_phase
        copy anacron syslog ;;
    busybox-crond)
        busybox_phase busybox-crond 8
        copy busybox-crond syslog jobs/report-ok.log jobs/sync-fail.log jobs/import-killed.log ;;
    busybox-crond-l0)
        busybox_phase busybox-crond-l0 0
        copy busybox-crond-l0 syslog ;;
    *) die "unknown phase $phase" ;;
    esac
done
log "done; package versions, crontabs and configs used are in $RUN"
