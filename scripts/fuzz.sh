#!/usr/bin/env bash
# Fuzzes the ELF and BTF parsers, and the VM's interpreter against its JIT, with Jazzer, each
# target for the maxDuration its @FuzzTest sets (20 s), on JDK 25. A finding fails the run and
# leaves the crashing input as <module>/crash-*: move it beside the target's other inputs
# (jbpf-loader/src/test/resources/io/jbpf/loader/fuzz/ParserFuzzTestInputs/<target>/ or
# jbpf-core/src/test/resources/io/jbpf/core/vm/VmFuzzTestInputs/<target>/) so that every test run
# replays it, then fix the code.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JBPF_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}"
for target in elf btf; do
  echo "fuzzing the $target parser..."
  JAZZER_FUZZ=1 mvn -q -B -ntp test -pl jbpf-loader -am -Djbpf.skip.jdk17=true \
    -Dtest="ParserFuzzTest#$target" -Dsurefire.failIfNoSpecifiedTests=false
done
echo "fuzzing the VM (interpreter against JIT)..."
JAZZER_FUZZ=1 mvn -q -B -ntp test -pl jbpf-core -Djbpf.skip.jdk17=true \
  -Dtest="VmFuzzTest#interpreterAndJitAgree" -Dsurefire.failIfNoSpecifiedTests=false
rm -rf jbpf-loader/.cifuzz-corpus jbpf-core/.cifuzz-corpus
echo "fuzzing found nothing"
