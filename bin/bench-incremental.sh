#!/usr/bin/env bash
# The incremental benchmark of docs/incremental.md: full runs of ./quarry extract on a corpus of more than 20,000
# real files, no-change reruns and reruns with 1% of the files edited, each timed as a user would see it (launcher
# and JVM included). Prints every run's wall time, then the reruns' ratios to the median full run.
#
#   bin/bench-incremental.sh [WORK_DIR]        (default: ${TMPDIR:-/tmp}/quarry-bench/incremental)
#
# The corpus is copied from code already on the machine: the JDK's lib/src.zip (all of it), a Python standard
# library (QUARRY_BENCH_PYTHON_LIB, default: python3's), npm's own package, and gcloud's api_lib and core when the
# Google Cloud SDK is installed. It is built once in WORK_DIR/pristine and copied afresh for each benchmark.
# QUARRY_BENCH_ROUNDS (default 3): rounds of full run, no-change rerun and 1 %-changed rerun; ratios are to the
# median full run.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-${TMPDIR:-/tmp}/quarry-bench/incremental}
pristine=$work/pristine corpus=$work/corpus out=$work/out log=$work/bench.log
mkdir -p "$work"

if [[ ! -d $pristine ]]; then
  jdk=$("$here/bin/find-jdk.sh")
  pylib=${QUARRY_BENCH_PYTHON_LIB:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}
  npm_dir=$(npm root -g 2>/dev/null)/npm
  tmp=$work/pristine.tmp; rm -rf "$tmp"; mkdir -p "$tmp/jdk" "$tmp/cpython"
  (cd "$tmp/jdk" && unzip -q "$jdk/lib/src.zip")
  (cd "$pylib" && find . -name '*.py' -not -path '*/site-packages/*' -print0 | tar --null -T - -cf - | tar -xf - -C "$tmp/cpython")
  cp -a "$npm_dir" "$tmp/npm"
  sdk=/usr/lib/google-cloud-sdk/lib/googlecloudsdk
  if [[ -d $sdk ]]; then
    mkdir -p "$tmp/gcloud"
    (cd "$sdk" && find api_lib core -type f -not -path '*/__pycache__/*' -print0 | tar --null -T - -cf - | tar -xf - -C "$tmp/gcloud")
  fi
  mv "$tmp" "$pristine"
fi
files=$(find "$pristine" -type f | wc -l)
echo "corpus: $files files, $(du -sh "$pristine" | cut -f1) in $pristine" | tee "$log"
(( files >= 20000 )) || echo "warning: fewer than 20,000 files; the issue's figures need at least 20,000" | tee -a "$log"

src=()
for d in "$pristine"/*; do src+=(--source "$(basename "$d")=$corpus/$(basename "$d")"); done
rm -rf "$corpus" "$out"; cp -a "$pristine" "$corpus"
"$here/quarry" grammars > /dev/null   # builds when needed; not timed
export QUARRY_NO_BUILD=1

# Appends a line to every 100th file (sorted path order), in a comment where the language has line comments.
edit_one_percent() {
  (cd "$corpus" && find . -type f | LC_ALL=C sort | awk 'NR % 100 == 1' | while read -r f; do
    case "$f" in
      *.py|*.sh|*.yml|*.yaml|*.toml) printf '\n# quarry-bench edit %s\n' "$1" >> "$f" ;;
      *.java|*.js|*.mjs|*.cjs|*.ts|*.c|*.h|*.cc|*.rs|*.go) printf '\n// quarry-bench edit %s\n' "$1" >> "$f" ;;
      *) printf '\n' >> "$f" ;;
    esac
  done)
  echo "edited $(cd "$corpus" && find . -type f | awk 'NR % 100 == 1' | wc -l) files" | tee -a "$log"
}

# Each run's wall time, by kind (full, nochange, onepct).
declare -A walls
run() {
  local name=$1 kind=$2; shift 2
  local t0 t1 s
  t0=$(date +%s.%N)
  "$here/quarry" extract "${src[@]}" --out "$out" "$@" > "$work/$name.out" 2>&1
  t1=$(date +%s.%N)
  s=$(echo "$t1 - $t0" | bc)
  walls[$kind]+="$s "
  printf '%-10s wall %7.1f s   load %s\n' "$name" "$s" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$log"
  grep -E "^(changes|work) " "$work/$name.out" | sed 's/^/    /' | tee -a "$log"
}
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# Rounds of: a full run (the first builds the first snapshot, later ones are --full rebuilds), a rerun without
# changes, and a rerun after editing 1 % of the files. The machine's speed drifts within minutes, so the full runs
# are spread over the benchmark and every ratio is to their median.
rounds=${QUARRY_BENCH_ROUNDS:-3}
for r in $(seq 1 "$rounds"); do
  if (( r == 1 )); then run full1 full; else run "full$r" full --full; fi
  run "nochange$r" nochange
  edit_one_percent "$r"
  run "onepct$r" onepct
done
full_s=$(median "${walls[full]}")
{
  printf 'median of %s full runs: %.1f s\n' "$rounds" "$full_s"
  for kind in nochange onepct; do
    ratios=""
    for s in ${walls[$kind]}; do ratios+="$(printf '%.1f%% ' "$(echo "100 * $s / $full_s" | bc -l)")"; done
    printf '%-9s median %5.1f s = %5.1f%% of full (each: %s)\n' "$kind" "$(median "${walls[$kind]}")" \
      "$(echo "100 * $(median "${walls[$kind]}") / $full_s" | bc -l)" "$ratios"
  done
} | tee -a "$log"
