#!/usr/bin/env bash
# Same bytes out of two builds: the check every speed change is held to.
#
#   scripts/same-output.sh OLD_BINARY [NEW_BINARY]     # NEW: target/release/crontriage
#   SIZES="64 256 1024" scripts/same-output.sh OLD     # bench corpora to include
#
# Runs both binaries over the same inputs and compares stdout, stderr and
# the exit status byte for byte:
#   - the demo (fixtures/demo) in every format, and `explain` of each run
#     that needs attention;
#   - every case folder (fixtures/cases/*, fixtures/real/*) with its args;
#   - the shared corpus files (../shared/corpus) as syslog;
#   - the generated bench corpora (target/bench-corpus/SIZE, made by
#     scripts/bench.sh) as JSON: plain, .gz, from stdin, with one thread and
#     with the default threads, and the 64 MiB one in every format;
#   - awkward framings of one file: CRLF line ends, no final newline, a BOM,
#     a line over 1 MiB, NUL runs, a file cut in the middle of a line.
# Prints one line per difference and exits 1 if any; 0 when all agree.
set -uo pipefail
export LC_ALL=C

[[ $# -ge 1 && $# -le 2 ]] || {
  sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
old=$(realpath "$1")
new=$(realpath "${2:-$root/target/release/crontriage}")
sizes=${SIZES:-64 256}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"

checks=0
diffs=0
# compare NAME [--stdin FILE] [--env K=V] -- ARGS...: run both, compare.
compare() {
  local name=$1
  shift
  local stdin=/dev/null envs=()
  while [[ $1 != -- ]]; do
    case $1 in
      --stdin) stdin=$2; shift 2 ;;
      --env) envs+=("$2"); shift 2 ;;
      *) echo "compare: bad option $1" >&2; exit 2 ;;
    esac
  done
  shift
  local b
  for b in old new; do
    local bin=$old
    [[ $b = new ]] && bin=$new
    env "${envs[@]}" CRONTRIAGE_NO_PROGRESS=1 "$bin" "$@" <"$stdin" >"$work/$b.out" 2>"$work/$b.err"
    echo $? >"$work/$b.rc"
  done
  checks=$((checks + 1))
  local what
  for what in out err rc; do
    if ! cmp -s "$work/old.$what" "$work/new.$what"; then
      diffs=$((diffs + 1))
      echo "DIFFERS ($what): $name"
      diff <(head -c 200000 "$work/old.$what") <(head -c 200000 "$work/new.$what") | head -n 6 | sed 's/^/    /'
    fi
  done
}

# --- the demo ------------------------------------------------------------------
for f in table json markdown csv ndjson html; do
  compare "demo --format $f" -- report fixtures/demo --format "$f" --color never
done
compare "demo --fail-on any" -- report fixtures/demo --fail-on any
for id in $("$new" report fixtures/demo --format ndjson | sed -n 's/^{"id":"\([^"]*\)".*"category":"\([^"]*\)".*/\1 \2/p' | awk '$2 != "ok" {print $1}'); do
  compare "demo explain $id" -- explain "$id" fixtures/demo --color never
done

# --- case folders and real captures ---------------------------------------------
for dir in fixtures/cases/*/ fixtures/real/*/; do
  [[ -f $dir/case.toml ]] || continue
  mapfile -t args < <(python3 - "$dir/case.toml" <<'PY'
import sys, tomllib
c = tomllib.load(open(sys.argv[1], "rb"))
for a in c.get("args", []): print(a)
print("\x00" + c.get("stdin", ""))
PY
  )
  stdin_file=${args[-1]#$'\x00'}
  unset 'args[-1]'
  stdin=/dev/null
  [[ -n $stdin_file ]] && stdin=$(realpath "$dir/$stdin_file")
  for f in json table; do
    (cd "$dir" && compare "$dir --format $f" --stdin "$stdin" -- report --format "$f" --color never "${args[@]}")
    # compare ran in a subshell: count its findings from its output instead.
  done
done > "$work/cases.log"
cat "$work/cases.log"
diffs=$((diffs + $(grep -c '^DIFFERS' "$work/cases.log")))
checks=$((checks + 2 * $(ls -d fixtures/cases/*/ fixtures/real/*/ | wc -l)))

# --- the shared corpus ----------------------------------------------------------
if [[ -d ../shared/corpus ]]; then
  for f in ../shared/corpus/*.log ../shared/corpus/plaso/*; do
    [[ -f $f ]] || continue
    compare "corpus $f" -- report --format json --syslog "$f" --year 2026 --tz UTC
  done
fi

# --- awkward framings -----------------------------------------------------------
base=fixtures/demo/web-01/syslog
sed 's/$/\r/' "$base" >"$work/crlf"
head -c -1 "$base" >"$work/nofinal"
{ printf '\xef\xbb\xbf'; cat "$base"; } >"$work/bom"
{ head -n 50 "$base"; head -c 1100000 /dev/zero | tr '\0' x; echo; tail -n +51 "$base"; } >"$work/overlong"
{ head -n 50 "$base"; head -c 5000 /dev/zero; tail -n +51 "$base"; } >"$work/nuls"
head -c $(($(wc -c <"$base") / 2)) "$base" >"$work/cut"
for f in crlf nofinal bom overlong nuls cut; do
  compare "framing $f" -- report --format json --syslog "$work/$f" --year 2026 --tz UTC
  compare "framing $f (stdin)" --stdin "$work/$f" -- report --format json --syslog - --year 2026 --tz UTC
done

# --- bench corpora --------------------------------------------------------------
for size in $sizes; do
  c=target/bench-corpus/$size
  if [[ ! -f $c/syslog ]]; then
    echo "note: $c/syslog missing (scripts/bench.sh $size makes it); skipped"
    continue
  fi
  a=(--year 2026 --tz UTC)
  compare "corpus $size json" -- report --format json --syslog "$c/syslog" --slack "$c/slack.jsonl" "${a[@]}"
  compare "corpus $size json, 1 thread" --env RAYON_NUM_THREADS=1 -- report --format json --syslog "$c/syslog" --slack "$c/slack.jsonl" "${a[@]}"
  compare "corpus $size stdin" --stdin "$c/syslog" -- report --format json --syslog - "${a[@]}"
  [[ -f $c/syslog.gz ]] && compare "corpus $size gz" -- report --format json --syslog "$c/syslog.gz" "${a[@]}"
  if [[ $size -le 64 ]]; then
    for f in table markdown csv ndjson html; do
      compare "corpus $size $f" -- report --format "$f" --color never --syslog "$c/syslog" --slack "$c/slack.jsonl" "${a[@]}"
    done
  fi
done

echo "same-output: $checks checks, $diffs differences"
[[ $diffs -eq 0 ]]
