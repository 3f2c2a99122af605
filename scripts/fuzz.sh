#!/usr/bin/env bash
# Fuzzes the ELF and BTF parsers with Jazzer, each target for the maxDuration its @FuzzTest sets
# (20 s), on JDK 25. A finding fails the run and leaves the crashing input as jbpf-loader/crash-*:
# move it to jbpf-loader/src/test/resources/io/jbpf/loader/fuzz/ParserFuzzTestInputs/<target>/ so
# that every test run replays it, then fix the parser.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JBPF_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}"
for target in elf btf; do
  echo "fuzzing the $target parser..."
  JAZZER_FUZZ=1 mvn -q -B -ntp test -pl jbpf-loader -am -Djbpf.skip.jdk17=true \
    -Dtest="ParserFuzzTest#$target" -Dsurefire.failIfNoSpecifiedTests=false
done
rm -rf jbpf-loader/.cifuzz-corpus
echo "fuzzing found nothing"
