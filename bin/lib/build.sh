# Shared by bin/sluice and bin/sluice-bench (sourced, not run).
#
# sluice_ensure_built HOME STAMP LIBDIR MODULE...
#   Builds the tree with `mvn -q -B -DskipTests install` when LIBDIR holds no jars, STAMP is
#   missing, or any file under MODULE/src, any MODULE/pom.xml or the root pom.xml is newer than
#   STAMP (a file the build rewrites on every `package`). Build output goes to stderr.
#   With SLUICE_NO_BUILD=1 it never builds: an existing (even stale) LIBDIR is used as it is.
#   With SLUICE_STAMP_OWNED=1 STAMP is the caller's own file, written here when a build it started
#   succeeds (dated from the build's start, so a source edited during the build is still newer).
#   A caller whose modules are not all in every build that rewrites a shared stamp needs its own:
#   an end-to-end build packages sluice-cli (rewriting its BUILD) without building sluice-bench.
#   Check the decisions with bin/lib/build-stamp-test.sh.

sluice_ensure_built() {
  local home="$1" stamp="$2" lib="$3"
  shift 3
  local reason=""
  if ! compgen -G "$lib/*.jar" > /dev/null || [ ! -f "$stamp" ]; then
    reason="first run"
  elif [ "${SLUICE_NO_BUILD:-}" = "1" ]; then
    return 0
  else
    local paths=("$home/pom.xml")
    local m
    for m in "$@"; do
      [ -d "$home/$m/src" ] && paths+=("$home/$m/src")
      [ -f "$home/$m/pom.xml" ] && paths+=("$home/$m/pom.xml")
    done
    if [ -n "$(find "${paths[@]}" -type f -newer "$stamp" -print -quit 2>/dev/null)" ]; then
      reason="sources changed"
    fi
  fi
  [ -z "$reason" ] && return 0
  if [ "${SLUICE_NO_BUILD:-}" = "1" ]; then
    echo "sluice: there is no distribution in $lib and SLUICE_NO_BUILD=1; build it with: mvn -B -DskipTests install" >&2
    exit 1
  fi
  if ! command -v mvn > /dev/null; then
    echo "sluice: Maven (mvn) is needed to build Sluice ($reason); install Maven 3.8+ and Java 17+" >&2
    exit 1
  fi
  echo "building Sluice ($reason)..." >&2
  local started=""
  if [ "${SLUICE_STAMP_OWNED:-}" = "1" ]; then
    mkdir -p "$(dirname "$stamp")"
    started="$(mktemp "$stamp.started.XXXXXX")"
  fi
  # Maven 3.8 prints colour resets even with style.color=never; strip escape codes from its output.
  if ! (cd "$home" && mvn -q -B -Dstyle.color=never -DskipTests install 2>&1 \
        | sed $'s/\033\\[[0-9;]*m//g' >&2; exit "${PIPESTATUS[0]}"); then
    [ -n "$started" ] && rm -f "$started"
    echo "sluice: the build failed (see above); fix it, or run 'mvn -B -DskipTests install' in $home for details" >&2
    exit 1
  fi
  if [ -n "$started" ]; then
    mv -f "$started" "$stamp"
  fi
}

# sluice_java (prints the java executable to use, after checking it is Java 17+) lives with the
# distribution's launchers; its source copy is always present in the tree.
# shellcheck source=../../sluice-cli/src/dist/bin/launcher.sh
. "$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/sluice-cli/src/dist/bin/launcher.sh"
