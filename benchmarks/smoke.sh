#!/usr/bin/env bash
# CI's smoke run of the benchmarks: every benchmark once, one short iteration, no warm-up. It shows
# that they run; its numbers are not measurements (benchmarks/RESULTS.md has those).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JBPF_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || { echo "no $jar: run ./test.sh (mvn verify) first" >&2; exit 1; }
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" -f 1 -wi 0 -i 1 -r 200ms -foe true -e ServiceConnect
make -s -C native/bench
# the service benchmark builds a lab per trial: once per mode and client (Java, and the C loop
# connectRateNative runs), with the smallest service count
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" 'ServiceConnect.*connectRate' -p services=10 \
  -f 1 -wi 0 -i 1 -r 1s -foe true
native/build/bench/map_lookup 100000 1
