#!/usr/bin/env bash
# The jbpf demo: an XDP packet counter on a veth pair between two new network namespaces. It pings
# across and prints the count the program kept in its map. Installs what is missing, builds what is
# stale, cleans up after itself. Needs root.
set -euo pipefail
cd "$(dirname "$0")"
if [ "$(id -u)" -ne 0 ]; then
  echo "demo: run as root (it loads a BPF program and creates network namespaces)" >&2
  exit 1
fi
scripts/setup.sh
jdk=${JBPF_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
jar=jbpf-examples/target/jbpf-examples.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml jbpf-core/src/main jbpf-examples/src/main -newer "$jar" -type f -print -quit)" ]; then
  echo "demo: building..."
  make -s -C native build/relocs.bpf.o   # jbpf-examples generates a skeleton from it at build time
  JAVA_HOME="$jdk" MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}" \
    mvn -q -B -ntp package -DskipTests -pl jbpf-examples -am
fi
exec "$jdk/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar" io.jbpf.examples.xdpcounter.XdpCounter "$@"
