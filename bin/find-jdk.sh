#!/usr/bin/env bash
# Prints the home of a JDK 22+ (jtreesitter needs the Foreign Function & Memory API), or explains how to get one.
# Order: $QUARRY_JAVA_HOME, $JAVA_HOME, `java` on PATH, then the usual install locations, newest first.
set -euo pipefail

java_feature() { # JAVA_HOME -> feature version (e.g. 25), or nothing
  local release="$1/release"
  [[ -x "$1/bin/java" ]] || return 0
  if [[ -f "$release" ]]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
  fi
}

# find-jdk.sh --feature HOME: only print that JDK's feature version.
if [[ "${1:-}" == --feature ]]; then
  java_feature "$2"
  exit 0
fi

candidates=()
[[ -n "${QUARRY_JAVA_HOME:-}" ]] && candidates+=("$QUARRY_JAVA_HOME")
[[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
if command -v java >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
fi
for d in $(ls -d ${QUARRY_JDK_SEARCH_DIRS:-/usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.jdks/* "$HOME"/.sdkman/candidates/java/*} 2>/dev/null | sort -rV); do
  candidates+=("$d")
done

for home in "${candidates[@]}"; do
  v="$(java_feature "$home" || true)"
  if [[ -n "$v" && "$v" -ge 22 ]]; then
    echo "$home"
    exit 0
  fi
done

cat >&2 <<'MSG'
quarry: no JDK 22 or newer found (Quarry parses through jtreesitter, which needs the Foreign Function & Memory API).
  Install one, e.g. Temurin 25 (apt: temurin-25-jdk, or https://adoptium.net), then either
  - let Quarry find it under /usr/lib/jvm, ~/.jdks or ~/.sdkman, or
  - point at it: export QUARRY_JAVA_HOME=/path/to/jdk-25
  Maven itself may keep running on an older JDK; the build selects the JDK 22+ toolchain on its own.
MSG
exit 1
