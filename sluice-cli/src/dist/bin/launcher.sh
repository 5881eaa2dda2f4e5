# Functions shared by the Sluice launchers (sourced, not run): the distribution's bin/sluice and
# bin/flume-ng, and the source tree's bin/sluice and bin/sluice-bench.

# sluice_java: prints the java executable to use (JAVA_HOME's, else the one on the PATH), after
# checking that it is Java 17 or newer.
sluice_java() {
  local java="java"
  if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; fi
  if ! command -v "$java" > /dev/null; then
    echo "sluice: no Java found ($java); install Java 17 or newer, or set JAVA_HOME" >&2
    exit 1
  fi
  local version major
  version="$("$java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  major="${version%%.*}"
  if [ "$major" = "1" ]; then major="$(echo "$version" | cut -d. -f2)"; fi
  if [ -n "$major" ] && [ "$major" -lt 17 ] 2>/dev/null; then
    echo "sluice: Sluice needs Java 17 or newer, but $java is version $version; set JAVA_HOME to a newer one" >&2
    exit 1
  fi
  echo "$java"
}

# sluice_read_env_script FILE
#   Reads an Apache Flume conf/flume-env.sh the way flume-ng does, but in a subshell, so the script
#   can neither end the launcher nor change its variables: afterwards FLUME_ENV_JAVA_OPTS,
#   FLUME_ENV_CLASSPATH and FLUME_ENV_LIBRARY_PATH hold its JAVA_OPTS, FLUME_CLASSPATH and
#   FLUME_JAVA_LIBRARY_PATH, and every variable it exports is exported to the agent (except
#   JAVA_HOME: flume-env.sh files usually name the Java 8 that Apache Flume ran on, and Sluice needs
#   Java 17; set JAVA_HOME in the environment instead). Whatever the script prints goes to stderr.
sluice_read_env_script() {
  local file="$1" name value entry
  FLUME_ENV_JAVA_OPTS="" FLUME_ENV_CLASSPATH="" FLUME_ENV_LIBRARY_PATH=""
  local -a values=()
  while IFS= read -r -d '' entry; do
    values+=("$entry")
  done < <(
    set +eu
    JAVA_OPTS="" FLUME_CLASSPATH="" FLUME_JAVA_LIBRARY_PATH=""
    # shellcheck disable=SC1090  # the user's file
    . "$file" >&2 </dev/null
    printf '%s\0%s\0%s\0' "$JAVA_OPTS" "$FLUME_CLASSPATH" "$FLUME_JAVA_LIBRARY_PATH"
    env -0
  )
  if [ "${#values[@]}" -lt 3 ]; then
    echo "sluice: $file did not finish (it ended the shell that read it); fix it or move it out of the -c directory" >&2
    exit 1
  fi
  FLUME_ENV_JAVA_OPTS="${values[0]}"
  FLUME_ENV_CLASSPATH="${values[1]}"
  FLUME_ENV_LIBRARY_PATH="${values[2]}"
  for entry in "${values[@]:3}"; do
    name="${entry%%=*}"
    value="${entry#*=}"
    case "$name" in
      ''|*[!A-Za-z0-9_]*|PWD|OLDPWD|SHLVL|_|JAVA_HOME|JAVA_OPTS|FLUME_CLASSPATH|FLUME_JAVA_LIBRARY_PATH) continue ;;
    esac
    if [ "${!name-}" != "$value" ]; then
      export "$name=$value"
    fi
  done
}

# sluice_join SEP VALUE...: the non-empty values joined by SEP.
sluice_join() {
  local sep="$1" out="" v
  shift
  for v in "$@"; do
    [ -z "$v" ] && continue
    out="${out:+$out$sep}$v"
  done
  printf '%s' "$out"
}
