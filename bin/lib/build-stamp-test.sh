#!/usr/bin/env bash
# Checks when bin/sluice and bin/sluice-bench rebuild, by running copies of the real scripts in a
# fake tree, with a fake `mvn` (records each call and writes the outputs a real build writes,
# among them the distribution's BUILD stamp) and a fake `java` on PATH. The case that once went
# wrong: bin/sluice-bench did not rebuild the bench after an end-to-end build (which packages
# sluice-cli, not sluice-bench) had rewritten the stamp the bench script compared its sources with.
# Usage: bin/lib/build-stamp-test.sh   (exit 0: every check passed; nothing is left behind)
set -euo pipefail

root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

home="$work/home"
mkdir -p "$home/bin/lib" "$home/sluice-cli/src/dist/bin" "$work/fakebin"
cp "$root/bin/sluice" "$root/bin/sluice-bench" "$home/bin/"
cp "$root/bin/lib/build.sh" "$home/bin/lib/"
cp "$root/sluice-cli/src/dist/bin/launcher.sh" "$home/sluice-cli/src/dist/bin/"
touch "$home/pom.xml"
for m in sluice-core sluice-cli sluice-bench; do
  mkdir -p "$home/$m/src"
  touch "$home/$m/src/Source.java" "$home/$m/pom.xml"
done
dist="$home/sluice-cli/target/sluice"
bench="$home/sluice-bench/target"

cat > "$work/fakebin/mvn" <<FAKE
#!/usr/bin/env bash
echo "mvn \$*" >> "$work/calls"
mkdir -p "$dist/lib" "$dist/bin" "$bench/bench-lib" "$bench/classes" "$home/sluice-bench/flume-peer/target/flume-lib"
touch "$dist/lib/x.jar" "$bench/bench-lib/x.jar" "$bench/sluice-bench-0.jar" \\
  "$home/sluice-bench/flume-peer/target/flume-lib/x.jar"
printf '#!/usr/bin/env bash\\nexit 0\\n' > "$dist/bin/sluice"
touch "$dist/BUILD"
FAKE
cat > "$work/fakebin/java" <<'FAKE'
#!/usr/bin/env bash
if [ "${1:-}" = "-version" ]; then echo 'openjdk version "17.0.9"' >&2; fi
exit 0
FAKE
chmod +x "$work/fakebin/mvn" "$work/fakebin/java"
export PATH="$work/fakebin:$PATH"
unset JAVA_HOME SLUICE_NO_BUILD

builds() { if [ -f "$work/calls" ]; then wc -l < "$work/calls"; else echo 0; fi; }
fail=0
# run NAME EXPECTED_BUILDS COMMAND...
run() {
  local name="$1" expected="$2" before after
  shift 2
  before="$(builds)"
  "$@" > /dev/null 2>&1 || { echo "FAIL: $name: $* exited $?"; fail=1; return; }
  after="$(builds)"
  if [ $((after - before)) -ne "$expected" ]; then
    echo "FAIL: $name: expected $expected build(s), saw $((after - before))"
    fail=1
  else
    echo "ok: $name"
  fi
}
# Sources older than any build. A later change ages every build output first and then touches the
# source a little less far back, so each order below holds on a file system with a coarse clock too
# (no waiting), and every build writes its outputs at the present.
touch -d '-1 hour' "$home/pom.xml" "$home"/*/src/Source.java "$home"/*/pom.xml
change() {
  find "$home" -path '*/target/*' -exec touch -d '-30 minutes' {} +
  touch -d '-20 minutes' "$1"
}

run "first run of the bench builds" 1 "$home/bin/sluice-bench" --list
run "bench unchanged does not build" 0 "$home/bin/sluice-bench" --list
run "the distribution that build made is current" 0 "$home/bin/sluice" version

change "$home/sluice-bench/src/Source.java"  # a bench source changes; then an e2e build, which
touch "$dist/BUILD"                          # packages sluice-cli and not sluice-bench, rewrites BUILD
run "bench rebuilds after an e2e build rewrote the distribution's stamp" 1 "$home/bin/sluice-bench" --list
run "bench then current" 0 "$home/bin/sluice-bench" --list

change "$home/sluice-core/src/Source.java"
run "a shared module's change rebuilds the distribution" 1 "$home/bin/sluice" version
run "...and the bench, whose stamp the distribution's build does not write" 1 "$home/bin/sluice-bench" --list
run "bench then current again" 0 "$home/bin/sluice-bench" --list
exit "$fail"
