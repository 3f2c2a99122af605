#!/usr/bin/env bash
# Measures one bpf() map lookup through jbpf (FFM on JDK 25, JNA on JDK 25 and JDK 17) against the C
# baseline native/bench/map_lookup.c (libbpf), alternating Java and C runs so that both see the same
# machine state, and prints each run and the ratios of the medians. Needs root and a built
# benchmarks/target/benchmarks.jar (./test.sh or mvn package). Usage: compare-map-lookup.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
jdk25=${JBPF_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
jdk17=${JBPF_JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java
jar=benchmarks/target/benchmarks.jar
make -s -C native/bench
c_once() { native/build/bench/map_lookup 1000000 3 | awk '{print $2}' | sort -n | sed -n 2p; }
jmh() { # java backend benchmark
  "$1" --enable-native-access=ALL-UNNAMED -jar "$jar" "MapLookupBenchmark.$3" -p backend="$2" \
    -f 1 -wi 3 -w 1s -i 5 -r 1s 2>/dev/null | awk '/^MapLookupBenchmark/ {print $5}' | tail -1
}
printf '%-6s %-10s %-10s %-10s %-10s %-10s %-10s\n' round c ffm25-raw ffm25-api jna25-api jna17-api c
out=$(mktemp)
for r in $(seq 1 "$rounds"); do
  c1=$(c_once)
  fr=$(jmh "$jdk25" ffm rawSyscall)
  fa=$(jmh "$jdk25" ffm kernelMapLookup)
  ja=$(jmh "$jdk25" jna kernelMapLookup)
  j17=$(jmh "$jdk17" jna kernelMapLookup)
  c2=$(c_once)
  printf '%-6s %-10s %-10s %-10s %-10s %-10s %-10s\n' "$r" "$c1" "$fr" "$fa" "$ja" "$j17" "$c2" | tee -a "$out"
done
awk '
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                     return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { n++; c[n] = $2; c[n + 1000] = $7; fr[n] = $3; fa[n] = $4; ja[n] = $5; j17[n] = $6 }
  END {
    for (i = 1; i <= n; i++) { cc[i] = c[i]; cc[i + n] = c[i + 1000] }
    mc = median(cc, 2 * n)
    printf "\nmedians (ns/op): C %.0f | FFM raw %.0f | FFM KernelMap %.0f | JNA KernelMap (JDK 25) %.0f | JNA KernelMap (JDK 17) %.0f\n", mc, median(fr, n), median(fa, n), median(ja, n), median(j17, n)
    printf "ratio to C: FFM raw %.2fx | FFM KernelMap %.2fx | JNA (JDK 25) %.2fx | JNA (JDK 17) %.2fx\n", median(fr, n) / mc, median(fa, n) / mc, median(ja, n) / mc, median(j17, n) / mc
  }' "$out"
rm -f "$out"
