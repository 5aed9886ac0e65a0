#!/usr/bin/env bash
set -euo pipefail

readonly OUT="${1:-out}"
declare -A counts=()

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }

for f in src/*.java; do
  if [[ -f "$f" && "$f" != *Test.java ]]; then
    counts["$f"]=$(wc -l < "$f")
  fi
done

case "$OUT" in
  /*) log "absolute: $OUT" ;;
  *) mkdir -p "$OUT" ;;
esac

while read -r line; do
  echo "${line%%=*}"
done <<EOF2
a=1
b=2
EOF2

echo "${#counts[@]} files" | tee "$OUT/summary.txt"
