#!/usr/bin/env bash
# Throughput benchmark: crontriage against `rg -c CRON` on a generated corpus.
#
#   scripts/bench.sh SIZE_MB            # e.g. 64, 256, 1024
#   THREADS=1 scripts/bench.sh 256      # crontriage with RAYON_NUM_THREADS=1
#   RUNS=9 scripts/bench.sh 64          # timed pairs (default 5)
#   CRONTRIAGE=/path/to/crontriage scripts/bench.sh 64   # a prebuilt binary
#
# Builds crontriage and examples/gen_corpus.rs, generates the corpus into
# target/bench-corpus/SIZE_MB/ unless it is there already (regenerated when
# gen_corpus.rs changed), then times, after one warm-up of each, RUNS
# alternating pairs under /usr/bin/time -f '%e %M' (peak RSS; the wall time
# is taken from bash's microsecond clock around it, as %e has 10 ms steps):
#   plain  crontriage report --format json --syslog syslog --slack slack.jsonl
#          vs  rg -c CRON syslog
#   .gz    crontriage report --format json --syslog syslog.gz
#          vs  zcat syslog.gz | rg -c CRON
#   stdin  cat syslog | crontriage report --format json --syslog -   (once)
#   noise  the same from stdin over <= 256 MiB of the non-cron lines (once)
# and prints medians, ratios, MiB/s and peak RSS, ending with one RESULT line
# that is easy to collect into a table. See benches/README.md.
set -euo pipefail
export LC_ALL=C

usage() {
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}
[[ $# -eq 1 && $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || usage
size=$1
runs=${RUNS:-5}
threads=${THREADS:-}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
[[ $target = /* ]] || target=$root/$target
corpus=$target/bench-corpus/$size
crontriage=${CRONTRIAGE:-$target/release/crontriage}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say() { printf '%s\n' "$*"; }
note() { printf 'bench: %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------
missing=()
[[ -x /usr/bin/time ]] || missing+=(time)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
command -v gzip >/dev/null 2>&1 || missing+=(gzip)
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    note "installing ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    note "missing ${missing[*]}: install them (apt-get install ${missing[*]})"
    exit 2
  fi
fi

# --- build -------------------------------------------------------------------
crontriage_ok=1
if [[ -n ${CRONTRIAGE:-} ]]; then
  note "using CRONTRIAGE=$crontriage (not building it)"
elif ! cargo build --release --quiet 2>"$work/build.log"; then
  crontriage_ok=0
  note "cargo build --release failed; timing rg only. First errors:"
  grep -m 5 -E '^error' "$work/build.log" >&2 || tail -n 5 "$work/build.log" >&2
fi
[[ -x $crontriage ]] || crontriage_ok=0

gen=$target/release/examples/gen_corpus
if ! cargo build --release --quiet --example gen_corpus 2>"$work/gen-build.log"; then
  # The generator is std-only: build it alone when the crate does not compile.
  gen=$target/bench-corpus/gen_corpus
  mkdir -p "$target/bench-corpus"
  note "cargo could not build the example; building it with rustc alone"
  rustc --edition 2024 -C opt-level=3 examples/gen_corpus.rs -o "$gen"
fi

# --- corpus ------------------------------------------------------------------
stamp_file=$target/bench-corpus/$size.stamp
stats_file=$target/bench-corpus/$size.stats
stamp=$(cksum < examples/gen_corpus.rs)
if [[ ! -f $corpus/syslog || ! -f $corpus/slack.jsonl || $(cat "$stamp_file" 2>/dev/null) != "$stamp" ]]; then
  note "generating $size MiB corpus into $corpus"
  rm -rf "$corpus"
  mkdir -p "$target/bench-corpus"
  "$gen" --size-mb "$size" --out "$corpus" 2> >(tee "$stats_file" >&2)
  wait
  printf '%s\n' "$stamp" > "$stamp_file"
fi
if [[ ! -f $corpus/syslog.gz ]]; then
  note "gzip -1 $corpus/syslog"
  gzip -1 -c "$corpus/syslog" > "$corpus/syslog.gz.partial"
  mv "$corpus/syslog.gz.partial" "$corpus/syslog.gz"
fi
cd "$corpus"
bytes=$(stat -c %s syslog)
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')

# --- timing ------------------------------------------------------------------
ct_env=()
[[ -n $threads ]] && ct_env=(env "RAYON_NUM_THREADS=$threads")
ct_args=(report --format json --year 2026 --tz UTC)
# shellcheck disable=SC2034 # the *_cmd arrays are read through a nameref
ct_cmd=("${ct_env[@]}" "$crontriage" "${ct_args[@]}" --syslog syslog --slack slack.jsonl)
# shellcheck disable=SC2034
rg_cmd=(rg -c CRON syslog)
# shellcheck disable=SC2034
ctgz_cmd=("${ct_env[@]}" "$crontriage" "${ct_args[@]}" --syslog syslog.gz)
# shellcheck disable=SC2034
rggz_cmd=(bash -c 'zcat syslog.gz | rg -c CRON')

# elapsed T0: seconds since EPOCHREALTIME was T0.
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'; }

# run_case NAME OUT: runs NAME_cmd under /usr/bin/time with stdout to OUT
# and stderr to $work/NAME.err, and appends "wall rss_kib" to $work/NAME.
# A crontriage case that is not built, fails, or prints no report is not run
# again.
declare -A failed=()
run_case() {
  local name=$1 out=$2
  local -n cmd="${name}_cmd"
  if [[ $name == ct* && $crontriage_ok == 0 ]]; then
    failed[$name]="not built"
  fi
  [[ -z ${failed[$name]:-} ]] || return 0
  local t0=$EPOCHREALTIME
  if /usr/bin/time -f '%e %M' -o "$work/$name.time" "${cmd[@]}" >"$out" 2>"$work/$name.err"; then
    echo "$(elapsed "$t0") $(tail -n 1 "$work/$name.time" | cut -d' ' -f2)" >>"$work/$name"
  else
    failed[$name]=$(grep -m 1 -E 'status|signal' "$work/$name.time" || echo "failed")
  fi
}

# is_report FILE: the JSON report's opening holds its schema version.
is_report() { head -c 4096 "$1" | grep -q '"schema_version"'; }

say "corpus: $corpus ($mib MiB syslog, $(wc -l < syslog) lines, $(wc -l < slack.jsonl) slack records)"
say "crontriage threads: ${threads:-default} (nproc $(nproc)); $runs timed pairs after one warm-up each"

for pair in "ct rg" "ctgz rggz"; do
  for i in $(seq 0 "$runs"); do
    for name in $pair; do
      if ((i > 0)); then
        run_case "$name" /dev/null
        continue
      fi
      # The warm-up: its output is kept and checked, its time not counted.
      run_case "$name" "$work/$name.first"
      : >"$work/$name"
      if [[ $name == ct* && -z ${failed[$name]:-} ]] && ! is_report "$work/$name.first"; then
        failed[$name]="exit 0 but stdout is not a JSON report (no \"schema_version\")"
      fi
    done
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
max_rss_mib() { awk '$2 > m { m = $2 } END { printf "%.1f", m / 1024 }'; }

declare -A med=() rss=()
report_case() {
  local name=$1 label=$2
  if [[ -n ${failed[$name]:-} ]]; then
    printf '  %-36s FAILED (%s)\n' "$label" "${failed[$name]}"
    if [[ -s $work/$name.err ]]; then
      head -n 3 "$work/$name.err" | sed 's/^/      /'
    fi
    return
  fi
  med[$name]=$(cut -d' ' -f1 "$work/$name" | median)
  rss[$name]=$(max_rss_mib <"$work/$name")
  printf '  %-36s %8.3f s  %8.1f MiB/s  peak RSS %7.1f MiB\n' "$label" "${med[$name]}" \
    "$(awk -v m="$mib" -v s="${med[$name]}" 'BEGIN { print (s > 0 ? m / s : 0) }')" "${rss[$name]}"
}
ratio() {
  if [[ -n ${med[$1]:-} && -n ${med[$2]:-} ]]; then
    awk -v a="${med[$1]}" -v b="${med[$2]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
  else
    echo n/a
  fi
}

say ""
say "plain (median of $runs):"
report_case ct "crontriage report (syslog + slack)"
report_case rg "rg -c CRON syslog"
[[ -f $work/rg.first ]] && say "  (rg -c CRON counted $(cat "$work/rg.first") cron lines)"
say "  ratio crontriage/rg: $(ratio ct rg)"
say ""
say ".gz (median of $runs):"
report_case ctgz "crontriage report (syslog.gz)"
report_case rggz "zcat syslog.gz | rg -c CRON"
say "  ratio crontriage/(zcat|rg): $(ratio ctgz rggz)"

say ""
say "stdin streaming (cat syslog | crontriage --syslog -, once):"
stdin_rss=n/a
if [[ $crontriage_ok == 1 ]]; then
  # Time crontriage alone, its stdin a pipe (so no mmap, no seeking).
  t0=$EPOCHREALTIME
  if /usr/bin/time -f '%e %M' -o "$work/stdin.time" "${ct_env[@]}" "$crontriage" "${ct_args[@]}" \
    --syslog - < <(cat syslog) >"$work/stdin.out" 2>"$work/stdin.err" && is_report "$work/stdin.out"; then
    wall=$(elapsed "$t0")
    kib=$(tail -n 1 "$work/stdin.time" | cut -d' ' -f2)
    stdin_rss=$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')
    printf '  %-36s %8.3f s  peak RSS %7.1f MiB\n' "crontriage --syslog -" "$wall" "$stdin_rss"
  else
    printf '  %-36s FAILED (%s)\n' "crontriage --syslog -" \
      "$(grep -m 1 -E 'status|signal' "$work/stdin.time" || echo 'no JSON report on stdout')"
    head -n 3 "$work/stdin.err" | sed 's/^/      /'
  fi
else
  say "  crontriage FAILED (not built)"
fi

# Memory on input with no run in it: the corpus's non-cron lines (every line
# naming cron, CRON or a pam cron session dropped), at most 256 MiB of them.
say ""
say "stdin, pure noise (cron lines removed, <= 256 MiB, once):"
noise_rss=n/a
if [[ $crontriage_ok == 1 ]]; then
  # Made once into the corpus folder. rg is cut off by head (SIGPIPE),
  # which pipefail would turn into a failed script: not a failure here.
  if [[ ! -f noise ]]; then
    { rg -v -i cron syslog || true; } | head -c 268435456 > noise.partial
    mv noise.partial noise
  fi
  noise_bytes=$(stat -c %s noise)
  t0=$EPOCHREALTIME
  if /usr/bin/time -f '%e %M' -o "$work/noise.time" "${ct_env[@]}" "$crontriage" "${ct_args[@]}" \
    --syslog - < <(cat noise) >"$work/noise.out" 2>"$work/noise.err" \
    && is_report "$work/noise.out"; then
    wall=$(elapsed "$t0")
    kib=$(tail -n 1 "$work/noise.time" | cut -d' ' -f2)
    noise_rss=$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')
    printf '  %-36s %8.3f s  peak RSS %7.1f MiB  (%s bytes)\n' "crontriage --syslog -" "$wall" \
      "$noise_rss" "$noise_bytes"
  else
    printf '  %-36s FAILED\n' "crontriage --syslog - (noise)"
    head -n 3 "$work/noise.err" | sed 's/^/      /'
  fi
fi

ct_mibs=n/a
[[ -n ${med[ct]:-} ]] && ct_mibs=$(awk -v m="$mib" -v s="${med[ct]}" 'BEGIN { printf "%.1f", (s > 0 ? m / s : 0) }')
say ""
say "RESULT size_mib=$size threads=${threads:-default} crontriage_s=${med[ct]:-FAILED} rg_s=${med[rg]:-n/a}" \
  "ratio=$(ratio ct rg) crontriage_mib_s=$ct_mibs crontriage_rss_mib=${rss[ct]:-n/a}" \
  "gz_crontriage_s=${med[ctgz]:-FAILED} gz_rg_s=${med[rggz]:-n/a} gz_ratio=$(ratio ctgz rggz) stdin_rss_mib=$stdin_rss noise_rss_mib=$noise_rss"
