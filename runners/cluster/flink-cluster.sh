#!/usr/bin/env bash
# A local Apache Flink 1.19.0 standalone session cluster (one JobManager, one TaskManager) built from
# Maven-resolved jars, for running Quarry with --runner=FlinkRunner and for fault-injection tests.
#
# flink-dist is not on our Maven mirror, so there is no bin/start-cluster.sh: this script does what
# Flink's own scripts do (compute JVM memory flags with BashJavaUtils, start the entrypoints) and keeps
# everything a run produces (config, logs, pid files, temp dirs) under one work directory.
# See docs/operations.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly POM="$SCRIPT_DIR/pom.xml"
readonly MIN_JAVA=22

usage() {
  cat <<EOF
Usage: $(basename "$0") COMMAND [OPTIONS]

Commands:
  start               resolve the Flink jars (cached), write the config, start a JobManager and a
                      TaskManager, wait until the REST API reports every slot
  stop                stop the TaskManager and the JobManager (TERM, then KILL after a grace period)
  status              print the processes and the REST overview; exit 0 only when the cluster is up
  start-taskmanager   start a TaskManager (after kill-taskmanager) and wait until it has registered
  kill-taskmanager    kill -9 the TaskManager (fault injection)
  classpath           print the cluster classpath (resolving it if needed)

Options (start remembers them in WORKDIR/cluster.env; later commands reuse them):
  --dir WORKDIR       work directory (default \$QUARRY_FLINK_DIR or /tmp/quarry-flink-\$USER)
  --slots N           task slots of the TaskManager (default 2)
  --rest-port P       REST API / web port (default 8081)
  --rpc-port P        JobManager RPC port (default 6123)
  --tm-memory SIZE    TaskManager process size (default 3g)
  --jm-memory SIZE    JobManager process size (default 1g)
  --timeout SECONDS   how long start/start-taskmanager wait for the cluster (default 120)
  --conf KEY=VALUE    (start; repeatable) any other Flink option for config.yaml, e.g.
                      --conf restart-strategy.fixed-delay.attempts=10 --conf heartbeat.timeout=20000

Environment:
  QUARRY_JAVA_HOME    JDK 22+ for the cluster JVMs (else \$JAVA_HOME if 22+, else newest /usr/lib/jvm/*)
  QUARRY_JDK_SEARCH_DIRS  globs searched instead of /usr/lib/jvm/*
  QUARRY_FLINK_DIR    default work directory
EOF
}

die() {
  echo "flink-cluster: error: $*" >&2
  exit 1
}

log() {
  echo "flink-cluster: $*" >&2
}

# ---------------------------------------------------------------------------------------------------
# Arguments

COMMAND="${1:-}"
[[ -n "$COMMAND" ]] || { usage >&2; exit 2; }
shift
case "$COMMAND" in
  -h|--help|help) usage; exit 0 ;;
esac

ARG_DIR="" ARG_SLOTS="" ARG_REST_PORT="" ARG_RPC_PORT="" ARG_TM_MEMORY="" ARG_JM_MEMORY="" ARG_TIMEOUT=""
CONF_OVERRIDES=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) ARG_DIR="${2:?--dir needs a value}"; shift 2 ;;
    --dir=*) ARG_DIR="${1#*=}"; shift ;;
    --slots) ARG_SLOTS="${2:?--slots needs a value}"; shift 2 ;;
    --slots=*) ARG_SLOTS="${1#*=}"; shift ;;
    --rest-port) ARG_REST_PORT="${2:?--rest-port needs a value}"; shift 2 ;;
    --rest-port=*) ARG_REST_PORT="${1#*=}"; shift ;;
    --rpc-port) ARG_RPC_PORT="${2:?--rpc-port needs a value}"; shift 2 ;;
    --rpc-port=*) ARG_RPC_PORT="${1#*=}"; shift ;;
    --tm-memory) ARG_TM_MEMORY="${2:?--tm-memory needs a value}"; shift 2 ;;
    --tm-memory=*) ARG_TM_MEMORY="${1#*=}"; shift ;;
    --jm-memory) ARG_JM_MEMORY="${2:?--jm-memory needs a value}"; shift 2 ;;
    --jm-memory=*) ARG_JM_MEMORY="${1#*=}"; shift ;;
    --conf) CONF_OVERRIDES+=("${2:?--conf needs KEY=VALUE}"); shift 2 ;;
    --conf=*) CONF_OVERRIDES+=("${1#*=}"); shift ;;
    --timeout) ARG_TIMEOUT="${2:?--timeout needs a value}"; shift 2 ;;
    --timeout=*) ARG_TIMEOUT="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

WORKDIR="${ARG_DIR:-${QUARRY_FLINK_DIR:-/tmp/quarry-flink-${USER:-$(id -un)}}}"
# Absolute, because it is matched against the JVMs' command lines; only `start` creates it.
WORKDIR="$(realpath -m -- "$WORKDIR")"
readonly WORKDIR
readonly CONF_DIR="$WORKDIR/conf" LOG_DIR="$WORKDIR/log" TMP_DIR="$WORKDIR/tmp"
readonly JM_PID_FILE="$WORKDIR/jobmanager.pid" TM_PID_FILE="$WORKDIR/taskmanager.pid"
readonly TM_ID_FILE="$WORKDIR/taskmanager.id"
readonly SETTINGS_FILE="$WORKDIR/cluster.env"

# Settings: explicit options > what `start` recorded > defaults.
SLOTS=2 REST_PORT=8081 RPC_PORT=6123 TM_MEMORY=3g JM_MEMORY=1g TIMEOUT=120
# Read, not sourced: the work directory may sit in a shared /tmp.
if [[ -f "$SETTINGS_FILE" ]]; then
  while IFS='=' read -r key value; do
    case "$key" in
      SLOTS) SLOTS="$value" ;;
      REST_PORT) REST_PORT="$value" ;;
      RPC_PORT) RPC_PORT="$value" ;;
      TM_MEMORY) TM_MEMORY="$value" ;;
      JM_MEMORY) JM_MEMORY="$value" ;;
      TIMEOUT) TIMEOUT="$value" ;;
    esac
  done <"$SETTINGS_FILE"
fi
SLOTS="${ARG_SLOTS:-$SLOTS}"
REST_PORT="${ARG_REST_PORT:-$REST_PORT}"
RPC_PORT="${ARG_RPC_PORT:-$RPC_PORT}"
TM_MEMORY="${ARG_TM_MEMORY:-$TM_MEMORY}"
JM_MEMORY="${ARG_JM_MEMORY:-$JM_MEMORY}"
TIMEOUT="${ARG_TIMEOUT:-$TIMEOUT}"

# No leading zeros: bash arithmetic would read "08" as a bad octal number.
is_uint() { [[ "$1" =~ ^(0|[1-9][0-9]*)$ ]]; }
# in_range VALUE MIN MAX
in_range() { is_uint "$1" && (( $1 >= $2 && $1 <= $3 )); }
in_range "$SLOTS" 1 1024 || die "--slots must be an integer in 1..1024, got '$SLOTS'"
in_range "$REST_PORT" 1 65535 || die "--rest-port must be a port number in 1..65535, got '$REST_PORT'"
in_range "$RPC_PORT" 1 65535 || die "--rpc-port must be a port number in 1..65535, got '$RPC_PORT'"
[[ "$REST_PORT" != "$RPC_PORT" ]] || die "--rest-port and --rpc-port must differ, both are $REST_PORT"
in_range "$TIMEOUT" 1 86400 || die "--timeout must be a number of seconds in 1..86400, got '$TIMEOUT'"
for size_option in "tm-memory:$TM_MEMORY" "jm-memory:$JM_MEMORY"; do
  value="${size_option#*:}"
  [[ "$value" =~ ^[0-9]+[kKmMgG]?$ ]] \
    || die "--${size_option%%:*} must be a size like 3g or 2048m, got '$value'"
done

for override in "${CONF_OVERRIDES[@]}"; do
  [[ "$override" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*=.+$ ]] || die "--conf needs KEY=VALUE, got '$override'"
  case "${override%%=*}" in
    taskmanager.numberOfTaskSlots|rest.port|jobmanager.rpc.port|taskmanager.memory.process.size|jobmanager.memory.process.size)
      die "set ${override%%=*} with its own option (--slots, --rest-port, --rpc-port, --tm-memory, --jm-memory), not --conf" ;;
    *bind-host|*bind-address|*.address|taskmanager.host)
      die "${override%%=*} stays 127.0.0.1: this cluster never listens beyond the loopback interface" ;;
  esac
done

readonly REST_URL="http://127.0.0.1:$REST_PORT"

# ---------------------------------------------------------------------------------------------------
# JDK

# Prints the feature version (e.g. 25) of the JDK at $1, or nothing.
java_feature_version() {
  local home="$1" version=""
  [[ -x "$home/bin/java" ]] || return 0
  if [[ -f "$home/release" ]]; then
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n 1)"
  fi
  if [[ -z "$version" ]]; then
    version="$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)"
  fi
  version="${version#1.}"          # 1.8.0 -> 8.0
  version="${version%%[.+-]*}"     # 25.0.3 -> 25
  is_uint "$version" && echo "$version"
  return 0
}

find_java_home() {
  local version
  if [[ -n "${QUARRY_JAVA_HOME:-}" ]]; then
    version="$(java_feature_version "$QUARRY_JAVA_HOME")"
    [[ -n "$version" ]] || die "QUARRY_JAVA_HOME=$QUARRY_JAVA_HOME has no bin/java"
    (( version >= MIN_JAVA )) || die "QUARRY_JAVA_HOME=$QUARRY_JAVA_HOME is JDK $version; Quarry needs JDK $MIN_JAVA+"
    echo "$QUARRY_JAVA_HOME"
    return
  fi
  if [[ -n "${JAVA_HOME:-}" ]]; then
    version="$(java_feature_version "$JAVA_HOME")"
    if [[ -n "$version" ]] && (( version >= MIN_JAVA )); then
      echo "$JAVA_HOME"
      return
    fi
  fi
  local best="" best_version=0 candidate
  # shellcheck disable=SC2086 # QUARRY_JDK_SEARCH_DIRS holds globs, as in bin/find-jdk.sh
  for candidate in ${QUARRY_JDK_SEARCH_DIRS:-/usr/lib/jvm/*}; do
    [[ -d "$candidate" && ! -L "$candidate" ]] || continue
    version="$(java_feature_version "$candidate")"
    if [[ -n "$version" ]] && (( version >= MIN_JAVA && version > best_version )); then
      best="$candidate" best_version="$version"
    fi
  done
  [[ -n "$best" ]] || die "no JDK $MIN_JAVA+ found (looked at \$QUARRY_JAVA_HOME, \$JAVA_HOME and /usr/lib/jvm/*).
  Install a JDK $MIN_JAVA or newer (e.g. Temurin 25) and set QUARRY_JAVA_HOME to its home directory."
  echo "$best"
}

# ---------------------------------------------------------------------------------------------------
# Classpath, cached next to the pom and keyed by the pom's content

classpath_file() {
  local cache_dir="$SCRIPT_DIR/target" stamp cp_file
  cp_file="$cache_dir/flink-classpath.txt"
  stamp="$(sha256sum "$POM" | cut -d ' ' -f 1)"
  if [[ -f "$cp_file" && -f "$cp_file.sha256" && "$(cat "$cp_file.sha256")" == "$stamp" ]]; then
    local jar missing=0
    while IFS= read -r -d ':' jar; do
      [[ -f "$jar" ]] || { missing=1; break; }
    done < <(printf '%s:' "$(cat "$cp_file")")
    if (( missing == 0 )); then
      echo "$cp_file"
      return
    fi
  fi
  command -v mvn >/dev/null 2>&1 || die "Maven ('mvn') is needed to resolve the Flink jars; install it (apt-get install maven)"
  mkdir -p "$cache_dir"
  log "resolving the Flink jars with Maven (once per pom change)"
  # Unique temp names, then rename: two concurrent starts must not read a half-written file.
  local tmp="$cp_file.$$" mvn_log="$cache_dir/flink-classpath.$$.log"
  if ! mvn -B -q -f "$POM" dependency:build-classpath -Dmdep.outputFile="$tmp" >"$mvn_log" 2>&1; then
    cat "$mvn_log" >&2
    rm -f "$tmp"
    die "could not resolve the Flink jars with 'mvn -f $POM dependency:build-classpath' (output above)"
  fi
  [[ -s "$tmp" ]] || die "Maven wrote an empty classpath to $tmp"
  rm -f "$mvn_log"
  echo "$stamp" >"$cp_file.sha256.$$"
  mv -f "$tmp" "$cp_file"
  mv -f "$cp_file.sha256.$$" "$cp_file.sha256"
  echo "$cp_file"
}

# ---------------------------------------------------------------------------------------------------
# Processes

# A pid file only counts while its process is alive and is one of ours: a recycled pid must never be
# signalled. Our JVMs carry "-Dquarry.flink.dir=WORKDIR" on their command line.
pid_from_file() {
  local file="$1" pid
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file" 2>/dev/null || true)"
  is_uint "$pid" || return 1
  is_running "$pid" || return 1
  # No pipe into grep -q here: with pipefail, tr dying of SIGPIPE would turn a match into a failure.
  local args
  args="$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  grep -qxF -- "-Dquarry.flink.dir=$WORKDIR" <<<"$args" || return 1
  echo "$pid"
}

# Alive and not a zombie (a JVM we started in this very invocation stays a zombie until reaped).
is_running() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null || true)"
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The flags Flink's distribution passes to every JVM on Java 17+ (env.java.opts.all of its
# config.yaml), plus native access for jtreesitter's FFM calls in user code.
jvm_common_flags() {
  echo "--enable-native-access=ALL-UNNAMED" \
    "--add-exports=java.base/sun.net.util=ALL-UNNAMED" \
    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED" \
    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED" \
    "--add-opens=java.base/java.lang=ALL-UNNAMED" \
    "--add-opens=java.base/java.net=ALL-UNNAMED" \
    "--add-opens=java.base/java.io=ALL-UNNAMED" \
    "--add-opens=java.base/java.nio=ALL-UNNAMED" \
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED" \
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED" \
    "--add-opens=java.base/java.text=ALL-UNNAMED" \
    "--add-opens=java.base/java.time=ALL-UNNAMED" \
    "--add-opens=java.base/java.util=ALL-UNNAMED" \
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED" \
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED" \
    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"
}

# BashJavaUtils derives the JVM memory flags (line 1) and the dynamic properties the entrypoint
# needs (line 2, e.g. taskmanager.cpu.cores) from config.yaml, exactly as Flink's scripts do.
resource_params() {
  local kind="$1" out
  if ! out="$("$JAVA" -cp "$CLASSPATH" org.apache.flink.runtime.util.bash.BashJavaUtils \
      "GET_${kind}_RESOURCE_PARAMS" --configDir "$CONF_DIR" 2>&1)"; then
    echo "$out" >&2
    die "BashJavaUtils GET_${kind}_RESOURCE_PARAMS failed (check the memory settings in $CONF_DIR/config.yaml)"
  fi
  out="$(sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' <<<"$out")"
  [[ "$(wc -l <<<"$out")" -eq 2 ]] || die "unexpected BashJavaUtils output for $kind: $out"
  echo "$out"
}

# start_jvm NAME PID_FILE MAIN_CLASS RESOURCE_KIND [extra entrypoint args...]
start_jvm() {
  local name="$1" pid_file="$2" main_class="$3" kind="$4"
  shift 4
  local params jvm_flags dynamic_props
  params="$(resource_params "$kind")"
  jvm_flags="$(sed -n 1p <<<"$params")"
  dynamic_props="$(sed -n 2p <<<"$params")"
  # Appended, not truncated: after kill-taskmanager the killed process's output is still there.
  local log_file="$LOG_DIR/$name.log" out_file="$LOG_DIR/$name.out"
  # setsid: the daemons get their own session, so neither a Ctrl-C in the calling terminal nor the
  # caller's process group being torn down (test harnesses, CI steps) takes them along.
  # shellcheck disable=SC2046,SC2086 # the flag strings are meant to split into words
  setsid nohup "$JAVA" $(jvm_common_flags) $jvm_flags \
    "-Dquarry.flink.dir=$WORKDIR" \
    "-Djava.io.tmpdir=$TMP_DIR" \
    "-Dlog.file=$log_file" \
    "-Dlog4j.configurationFile=file:$CONF_DIR/log4j.properties" \
    -cp "$CLASSPATH" "$main_class" --configDir "$CONF_DIR" $dynamic_props "$@" \
    >>"$out_file" 2>&1 </dev/null &
  echo $! >"$pid_file"
  log "started $name (pid $!), log: $log_file"
}

start_jobmanager() {
  start_jvm jobmanager "$JM_PID_FILE" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint JM
}

# Every TaskManager gets a fresh resource id, so that a restarted one is told apart from the one it
# replaces (the JobManager keeps listing a killed TaskManager until its heartbeat times out).
start_taskmanager_process() {
  TM_RESOURCE_ID="quarry-tm-$(date +%s%N)"
  echo "$TM_RESOURCE_ID" >"$TM_ID_FILE"
  start_jvm taskmanager "$TM_PID_FILE" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner TM \
    -D "taskmanager.resource-id=$TM_RESOURCE_ID"
}

# stop_pid NAME PID_FILE: TERM, wait, then KILL; fine when nothing runs.
stop_pid() {
  local name="$1" pid_file="$2" pid grace=20 waited=0
  if ! pid="$(pid_from_file "$pid_file")"; then
    rm -f "$pid_file"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  while is_running "$pid" && (( waited < grace * 10 )); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if is_running "$pid"; then
    log "$name (pid $pid) still running after ${grace}s, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    while is_running "$pid"; do sleep 0.1; done
  fi
  rm -f "$pid_file"
  log "stopped $name (pid $pid)"
}

rest_get() {
  curl -fsS --max-time 5 "$REST_URL$1" 2>/dev/null
}

json_int() {
  sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" <<<"$2" | head -n 1
}

log_hint() {
  local file
  for file in "$LOG_DIR"/jobmanager.log "$LOG_DIR"/jobmanager.out "$LOG_DIR"/taskmanager.log "$LOG_DIR"/taskmanager.out; do
    [[ -s "$file" ]] || continue
    echo "---- last lines of $file" >&2
    tail -n 15 "$file" >&2
  done
  echo "Logs: $LOG_DIR/{jobmanager,taskmanager}.{log,out}" >&2
}

# Waits until the JobManager lists TaskManager $TM_RESOURCE_ID with all its slots.
wait_for_taskmanager() {
  local deadline=$((SECONDS + TIMEOUT)) tms
  while (( SECONDS < deadline )); do
    pid_from_file "$JM_PID_FILE" >/dev/null || { log_hint; return 1; }
    pid_from_file "$TM_PID_FILE" >/dev/null || { log_hint; return 1; }
    if tms="$(rest_get /taskmanagers)" \
        && grep -qF "\"id\":\"$TM_RESOURCE_ID\"" <<<"$tms" \
        && [[ "$(sed -n "s/.*\"id\":\"$TM_RESOURCE_ID\"[^}]*\"slotsNumber\":\([0-9]*\).*/\1/p" <<<"$tms")" == "$SLOTS" ]]; then
      return 0
    fi
    sleep 0.5
  done
  log_hint
  return 1
}

# config.yaml is written with flat keys (Flink 1.19 accepts them as well as nested ones), which makes
# --conf overrides a plain replace-or-append.
CONF_KEYS=()
declare -A CONF_VALUES=()

set_conf() {
  [[ -v "CONF_VALUES[$1]" ]] || CONF_KEYS+=("$1")
  CONF_VALUES[$1]="$2"
}

yaml_scalar() {
  if [[ "$1" =~ ^[A-Za-z0-9._/][A-Za-z0-9._/,=+@%:\ -]*$ && "$1" != *": "* && "$1" != *" " ]]; then
    printf '%s' "$1"
  else
    printf "'%s'" "${1//\'/\'\'}"
  fi
}

write_config() {
  mkdir -p "$CONF_DIR" "$LOG_DIR" "$TMP_DIR"
  set_conf jobmanager.bind-host 127.0.0.1
  set_conf jobmanager.rpc.address 127.0.0.1
  set_conf jobmanager.rpc.port "$RPC_PORT"
  set_conf jobmanager.memory.process.size "$JM_MEMORY"
  set_conf jobmanager.execution.failover-strategy region
  set_conf taskmanager.bind-host 127.0.0.1
  set_conf taskmanager.host 127.0.0.1
  set_conf taskmanager.numberOfTaskSlots "$SLOTS"
  set_conf taskmanager.memory.process.size "$TM_MEMORY"
  set_conf taskmanager.memory.managed.fraction 0.25
  set_conf taskmanager.memory.jvm-metaspace.size 384m
  set_conf rest.address 127.0.0.1
  set_conf rest.bind-address 127.0.0.1
  set_conf rest.port "$REST_PORT"
  set_conf parallelism.default "$SLOTS"
  set_conf restart-strategy.type fixed-delay
  set_conf restart-strategy.fixed-delay.attempts 3
  set_conf restart-strategy.fixed-delay.delay "5 s"
  set_conf io.tmp.dirs "$TMP_DIR"
  set_conf blob.storage.directory "$TMP_DIR/blobs"
  set_conf web.tmpdir "$TMP_DIR/web"
  local override key
  for override in "${CONF_OVERRIDES[@]}"; do
    set_conf "${override%%=*}" "${override#*=}"
  done
  {
    echo "# Written by runners/cluster/flink-cluster.sh on every start; change it with --conf KEY=VALUE."
    echo "# - Everything binds to and advertises 127.0.0.1 only."
    echo "# - taskmanager.memory.managed.fraction 0.25 instead of Flink's 0.4: Beam's batch GroupByKey sorts"
    echo "#   in managed memory, but Quarry's user code (parsers, Parquet writers) lives on the task heap."
    echo "# - restart-strategy fixed-delay, 3 attempts 5 s apart: a job survives three failures (a lost"
    echo "#   TaskManager is one); the fourth fails it. A Beam batch job is one pipelined region, so every"
    echo "#   failure restarts all of its tasks."
    for key in "${CONF_KEYS[@]}"; do
      printf '%s: %s\n' "$key" "$(yaml_scalar "${CONF_VALUES[$key]}")"
    done
  } >"$CONF_DIR/config.yaml"
  cat >"$CONF_DIR/log4j.properties" <<'EOF'
# Flink's distribution default: one rolling file per process, named by -Dlog.file.
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
appender.main.name = MainAppender
appender.main.type = RollingFile
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.filePattern = ${sys:log.file}.%i
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.main.policies.type = Policies
appender.main.policies.size.type = SizeBasedTriggeringPolicy
appender.main.policies.size.size = 100MB
appender.main.strategy.type = DefaultRolloverStrategy
appender.main.strategy.max = 10
EOF
  cat >"$SETTINGS_FILE" <<EOF
SLOTS=$SLOTS
REST_PORT=$REST_PORT
RPC_PORT=$RPC_PORT
TM_MEMORY=$TM_MEMORY
JM_MEMORY=$JM_MEMORY
TIMEOUT=$TIMEOUT
EOF
}

prepare_runtime() {
  command -v curl >/dev/null 2>&1 || die "curl is needed to query the Flink REST API; install it (apt-get install curl)"
  JAVA_HOME_FOR_CLUSTER="$(find_java_home)"
  JAVA="$JAVA_HOME_FOR_CLUSTER/bin/java"
  CLASSPATH="$(cat "$(classpath_file)")"
}

# ---------------------------------------------------------------------------------------------------
# Commands

cmd_start() {
  local pid
  if pid="$(pid_from_file "$JM_PID_FILE")"; then
    die "a cluster already runs from $WORKDIR (JobManager pid $pid); run '$0 stop --dir $WORKDIR' first"
  fi
  local port
  for port in "$REST_PORT" "$RPC_PORT"; do
    port_in_use "$port" && die "port $port on 127.0.0.1 is already in use (another Flink cluster?); pick others with --rest-port/--rpc-port"
  done
  mkdir -p "$WORKDIR"
  prepare_runtime
  write_config
  # Old logs would confuse the failure hints below.
  rm -f "$LOG_DIR"/jobmanager.* "$LOG_DIR"/taskmanager.*
  local started=$SECONDS
  log "work dir $WORKDIR, JDK $JAVA_HOME_FOR_CLUSTER"
  # Whatever fails from here on (a JVM that dies, BashJavaUtils rejecting the memory settings, the
  # timeout), nothing that was started may be left running.
  trap 'log "start failed, stopping what was started"; cmd_stop' EXIT
  start_jobmanager
  start_taskmanager_process
  wait_for_taskmanager \
    || die "the cluster did not report $SLOTS slots at $REST_URL within ${TIMEOUT}s (see the logs above)"
  trap - EXIT
  log "cluster up in $((SECONDS - started))s: $REST_URL, $SLOTS slots, flinkMaster=127.0.0.1:$REST_PORT"
}

cmd_stop() {
  stop_pid taskmanager "$TM_PID_FILE"
  rm -f "$TM_ID_FILE"
  stop_pid jobmanager "$JM_PID_FILE"
}

cmd_status() {
  local jm tm overview
  jm="$(pid_from_file "$JM_PID_FILE" || true)"
  tm="$(pid_from_file "$TM_PID_FILE" || true)"
  echo "workdir:     $WORKDIR"
  echo "jobmanager:  $(if [[ -n "$jm" ]]; then echo "running, pid $jm"; else echo "not running"; fi)"
  echo "taskmanager: $(if [[ -n "$tm" ]]; then echo "running, pid $tm, id $(cat "$TM_ID_FILE" 2>/dev/null)"; else echo "not running"; fi)"
  [[ -n "$jm" ]] || return 3
  if ! overview="$(rest_get /overview)"; then
    echo "rest:        $REST_URL not answering"
    return 1
  fi
  echo "rest:        $REST_URL"
  echo "overview:    $overview"
  echo "taskmanagers=$(json_int taskmanagers "$overview") slots-total=$(json_int slots-total "$overview")" \
    "slots-available=$(json_int slots-available "$overview") jobs-running=$(json_int jobs-running "$overview")"
}

cmd_start_taskmanager() {
  local pid
  pid_from_file "$JM_PID_FILE" >/dev/null || die "no JobManager runs from $WORKDIR; use 'start'"
  if pid="$(pid_from_file "$TM_PID_FILE")"; then
    die "a TaskManager already runs from $WORKDIR (pid $pid)"
  fi
  [[ -f "$CONF_DIR/config.yaml" ]] || die "$CONF_DIR/config.yaml is missing; use 'start'"
  prepare_runtime
  local started=$SECONDS
  trap 'stop_pid taskmanager "$TM_PID_FILE"' EXIT
  start_taskmanager_process
  wait_for_taskmanager \
    || die "the TaskManager did not register with $SLOTS slots within ${TIMEOUT}s (see the logs above)"
  trap - EXIT
  log "taskmanager registered in $((SECONDS - started))s"
}

cmd_kill_taskmanager() {
  local pid
  pid="$(pid_from_file "$TM_PID_FILE")" || die "no TaskManager runs from $WORKDIR"
  kill -KILL "$pid"
  while is_running "$pid"; do sleep 0.1; done
  rm -f "$TM_PID_FILE" "$TM_ID_FILE"
  log "killed taskmanager (pid $pid) with SIGKILL"
}

case "$COMMAND" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  start-taskmanager) cmd_start_taskmanager ;;
  kill-taskmanager) cmd_kill_taskmanager ;;
  classpath) cat "$(classpath_file)" ;;
  *) usage >&2; die "unknown command '$COMMAND'" ;;
esac
