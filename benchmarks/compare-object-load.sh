#!/usr/bin/env bash
# Loading a clang-built object: jbpf (JMH ObjectLoadBenchmark: open, load, close in one JVM) against
# `bpftool prog loadall` of the same object (one process per load, pinned then unpinned), both on
# native/testdata/elf/relocs.bpf.c. Needs root, clang-19, bpftool and benchmarks/target/benchmarks.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
jdk25=${JBPF_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
obj=$(mktemp --suffix=.o)
pins=/sys/fs/bpf/jbpf-bench-loadall-$$
trap 'rm -rf "$pins" "$obj"' EXIT
clang-19 -O2 -g -target bpf -I/usr/include/$(uname -m)-linux-gnu -c native/testdata/elf/relocs.bpf.c -o "$obj"
bpftool_round() {
  local start end
  start=$(date +%s%N)
  for _ in $(seq 1 "$runs"); do
    bpftool prog loadall "$obj" "$pins"
    rm -rf "$pins"
  done
  end=$(date +%s%N)
  echo "bpftool prog loadall: $(( (end - start) / runs / 1000 )) us per load (mean of $runs, process start included)"
}
bpftool_round
"$jdk25" --enable-native-access=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar ObjectLoadBenchmark \
  -f 1 -wi 3 -w 1s -i 5 -r 1s 2>/dev/null | grep -E '^(Benchmark|ObjectLoad)'
bpftool_round
