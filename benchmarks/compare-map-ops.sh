#!/usr/bin/env bash
# Single and batch map operations through jbpf (FFM on JDK 25, JNA on JDK 17) against the libbpf
# baseline native/bench/map_ops.c, alternating Java and C rounds, then the medians and ratios.
# Needs root and benchmarks/target/benchmarks.jar. Usage: compare-map-ops.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
jdk25=${JBPF_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
jdk17=${JBPF_JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java
jar=benchmarks/target/benchmarks.jar
make -s -C native/bench
out=$(mktemp)
c_round() { native/build/bench/map_ops 100000 1 | sed 's/^/c /' >> "$out"; }
java_round() { # label java backend
  "$2" --enable-native-access=ALL-UNNAMED -jar "$jar" MapOpsBenchmark -p backend="$3" -f 1 -wi 2 -w 1s -i 3 -r 1s \
    2>/dev/null | awk -v l="$1" '/^MapOpsBenchmark/ { split($1, n, "."); print l, n[2], $5 }' >> "$out"
}
for r in $(seq 1 "$rounds"); do
  c_round
  java_round ffm25 "$jdk25" ffm
  java_round jna17 "$jdk17" jna
  c_round
  echo "round $r done" >&2
done
# name the C metrics as the JMH methods are named
sed -i 's/^c delete_insert /c deleteThenInsert /; s/^c batch_lookup_per_entry /c batchLookup /; s/^c batch_update_per_entry /c batchUpdate /' "$out"
awk '
  function median(list,   a, n, i, j, t) { n = split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
                                           return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { v[$1 " " $2] = v[$1 " " $2] " " $3 }
  END {
    printf "%-18s %10s %10s %10s %8s %8s\n", "operation", "C ns", "FFM ns", "JNA17 ns", "FFM/C", "JNA/C"
    split("lookup update deleteThenInsert batchLookup batchUpdate", ops, " ")
    for (i = 1; i <= 5; i++) {
      o = ops[i]; c = median(v["c " o]); f = median(v["ffm25 " o]); j = median(v["jna17 " o])
      printf "%-18s %10.1f %10.1f %10.1f %7.2fx %7.2fx\n", o, c, f, j, f / c, j / c
    }
    printf "\nbatch vs single, per entry (FFM): lookup %.1fx faster, update %.1fx faster\n", median(v["ffm25 lookup"]) / median(v["ffm25 batchLookup"]), median(v["ffm25 update"]) / median(v["ffm25 batchUpdate"])
  }' "$out"
rm -f "$out"
