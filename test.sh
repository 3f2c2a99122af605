#!/usr/bin/env bash
# Runs every jbpf test: installs what is missing, builds with JDK 25, runs each module's tests on
# JDK 25 (FFM backend) and again on JDK 17 (JNA backend), and lists tests skipped because this
# kernel lacks a feature. Kernel tests need root; with JBPF_REQUIRE_KERNEL=1 (CI) a kernel test
# that cannot use bpf() fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
export JAVA_HOME=${JBPF_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}"
rm -f */target/jbpf-feature-skips.txt
make -s -C native   # our BPF objects and C baselines build (the tests compile the same sources themselves)
status=0
mvn -B -ntp verify "$@" || status=$?
skips=$(cat */target/jbpf-feature-skips.txt 2>/dev/null || true)
echo
if [ -n "$skips" ]; then
  echo "Tests skipped because this kernel lacks a feature:"
  echo "$skips" | sed 's/^/  /'
else
  echo "No test was skipped for a missing kernel feature."
fi
exit $status
