#!/usr/bin/env bash
# Single and batch map operations through jbpf (FFM on JDK 25, JNA on JDK 17) against the libbpf
# baseline native/bench/map_ops.c. Every JMH iteration starts with a short run of the C baseline
# (MapOpsBenchmark's -Djbpf.bench.cBaseline), so each Java figure is paired with a C figure taken
# on the same CPU seconds before it: bpf() costs drift by tens of percent from minute to minute on
# this kind of machine, and a ratio of pairs is steadier than a ratio of separate runs. Prints, per
# operation and backend, the medians of the C and Java figures and the median of the pairs' ratios.
# lookupCInProcess is map_ops's own lookup loop called from the JVM (see MapOpsBenchmark): set
# against map_ops in its own process, it shows what running in a JVM's process costs C itself.
# "C shared" is map_ops's figure while a second thread shares its file table, as in any JVM (the
# kernel takes a cheaper fd lookup in single-threaded processes); the last column pairs with it.
# Needs root and benchmarks/target/benchmarks.jar.
# Usage: [PIN=thread] compare-map-ops.sh [ITERATIONS] [CPU]   (defaults: 10 measured iterations per operation, CPU 1)
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-10}
cpu=${2:-1}
jdk25=${JBPF_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
jdk17=${JBPF_JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java
jar=benchmarks/target/benchmarks.jar
make -s -C native/bench
baseline=$PWD/native/build/bench/map_ops
out=$(mktemp)
run() { # label java backend
  # pinned to one CPU, C and Java alike: the two CPUs of a virtual machine need not be equally fast.
  # PIN=thread pins only the benchmark's thread (and the C it starts), and leaves the JVM's other
  # threads free to run on any CPU; by default the whole JVM shares the one CPU.
  local pin=(taskset -c "$cpu") props="-Djbpf.bench.cBaseline=$baseline"
  if [ "${PIN:-process}" = thread ]; then pin=(); props="$props -Djbpf.bench.pinThread=$cpu"; fi
  "${pin[@]}" "$2" --enable-native-access=ALL-UNNAMED -jar "$jar" MapOpsBenchmark -p backend="$3" \
    -f 1 -wi 2 -w 1s -i "$iterations" -r 1s -jvmArgsAppend "$props" 2>/dev/null |
    awk -v l="$1" '
      /^# Warmup Iteration/ { warm = 1 }
      /^Iteration/ { warm = 0 }
      /c-baseline/ { sub(/.*c-baseline /, ""); op = $1; c = $2; cs = $3; next }
      / ns\/op$/ && !warm && c != "" && $0 !~ /^MapOps/ { print l, op, c, $(NF - 1), cs; c = "" }' >> "$out"
}
run ffm25 "$jdk25" ffm
run jna17 "$jdk17" jna
awk '
  function median(list,   a, n, i, j, t) { n = split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
                                           return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { k = $1 " " $2; c[k] = c[k] " " $3; j[k] = j[k] " " $4; r[k] = r[k] " " $4 / $3; cs[k] = cs[k] " " $5; rs[k] = rs[k] " " $4 / $5; n[k]++ }
  END {
    printf "%-18s %-6s %6s %10s %10s %12s %12s %12s %12s\n", "operation", "java", "pairs", "C ns", "Java ns", "ratio (med)", "ratio range", "C shared ns", "ratio (med)"
    split("lookup lookupCInProcess update deleteThenInsert batchLookup batchUpdate", ops, " ")
    split("ffm25 jna17", ls, " ")
    for (i = 1; i <= 6; i++) for (k = 1; k <= 2; k++) {
      key = ls[k] " " ops[i]
      if (!(key in n)) continue
      m = split(r[key], rr, " "); lo = rr[1]; hi = rr[1]
      for (x = 2; x <= m; x++) { if (rr[x] + 0 < lo + 0) lo = rr[x]; if (rr[x] + 0 > hi + 0) hi = rr[x] }
      printf "%-18s %-6s %6d %10.1f %10.1f %11.2fx %5.2f-%.2fx %12.1f %11.2fx\n", ops[i], ls[k], n[key], median(c[key]), median(j[key]), median(r[key]), lo, hi, median(cs[key]), median(rs[key])
    }
    printf "\nbatch vs single, per entry (FFM): lookup %.1fx faster, update %.1fx faster\n", median(j["ffm25 lookup"]) / median(j["ffm25 batchLookup"]), median(j["ffm25 update"]) / median(j["ffm25 batchUpdate"])
  }' "$out"
rm -f "$out"
