#!/usr/bin/env bash
# Writes the iptables rules kube-proxy (iptables mode) would program for N ClusterIP services, and
# loads them with iptables-restore into a network namespace. For the service benchmark
# (ServiceConnectBenchmark), which compares them with jbpf's BPF service translation.
#
#   kube-proxy-iptables.sh NETNS COUNT CLUSTER_CIDR BACKEND...     load the rules into NETNS
#   kube-proxy-iptables.sh - COUNT CLUSTER_CIDR BACKEND...         print them instead
#
# Service i (0-based) is 10.96.0.0 + 1 + i, port 80/TCP (what ServiceConnectBenchmark.vip(i) gives);
# every service has the same backends, given as IP:PORT. The layout is kube-proxy's: PREROUTING and
# OUTPUT jump to KUBE-SERVICES, which holds one rule per service (matched in order, which is why
# the cost of a new connection grows with the number of services) jumping to the service's
# KUBE-SVC chain; that picks a KUBE-SEP chain with the statistic match (probabilities 1/n, 1/(n-1),
# ... as kube-proxy writes them), and the KUBE-SEP chain DNATs. Traffic from outside CLUSTER_CIDR
# is marked for masquerade (KUBE-MARK-MASQ, KUBE-POSTROUTING), as with kube-proxy's --cluster-cidr.
set -euo pipefail
if [ $# -lt 4 ]; then
  sed -n '2,8p' "$0" >&2
  exit 2
fi
netns=$1 count=$2 cluster=$3
shift 3
backends=("$@")
case $count in ''|*[!0-9]*) echo "COUNT must be a number, not '$count'" >&2; exit 2 ;; esac
[ "$count" -le 65000 ] || { echo "at most 65000 services" >&2; exit 2; }
for b in "${backends[@]}"; do
  [[ $b =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+$ ]] || { echo "backend '$b' is not IP:PORT" >&2; exit 2; }
done

rules() {
  awk -v count="$count" -v cluster="$cluster" -v list="${backends[*]}" '
  BEGIN {
    n = split(list, be, " ")
    print "*nat"
    print ":PREROUTING ACCEPT [0:0]"
    print ":INPUT ACCEPT [0:0]"
    print ":OUTPUT ACCEPT [0:0]"
    print ":POSTROUTING ACCEPT [0:0]"
    print ":KUBE-SERVICES - [0:0]"
    print ":KUBE-MARK-MASQ - [0:0]"
    print ":KUBE-POSTROUTING - [0:0]"
    for (i = 0; i < count; i++) {
      printf ":KUBE-SVC-%016X - [0:0]\n", i
      for (j = 1; j <= n; j++) printf ":KUBE-SEP-%012X%04X - [0:0]\n", i, j
    }
    print "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"
    print "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"
    print "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING"
    print "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000"
    print "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN"
    print "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0"
    print "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully"
    for (i = 0; i < count; i++) {
      v = 1 + i
      vip = sprintf("10.96.%d.%d", int(v / 256), v % 256)
      printf "-A KUBE-SERVICES -d %s/32 -p tcp -m comment --comment \"default/svc-%d:http cluster IP\" -m tcp --dport 80 -j KUBE-SVC-%016X\n", vip, i, i
      printf "-A KUBE-SVC-%016X ! -s %s -d %s/32 -p tcp -m tcp --dport 80 -j KUBE-MARK-MASQ\n", i, cluster, vip
      for (j = 1; j <= n; j++) {
        if (j < n) printf "-A KUBE-SVC-%016X -m statistic --mode random --probability %.11f -j KUBE-SEP-%012X%04X\n", i, 1 / (n - j + 1), i, j
        else printf "-A KUBE-SVC-%016X -j KUBE-SEP-%012X%04X\n", i, i, j
      }
      for (j = 1; j <= n; j++) {
        split(be[j], hp, ":")
        printf "-A KUBE-SEP-%012X%04X -s %s/32 -j KUBE-MARK-MASQ\n", i, j, hp[1]
        printf "-A KUBE-SEP-%012X%04X -p tcp -m tcp -j DNAT --to-destination %s\n", i, j, be[j]
      }
    }
    print "COMMIT"
  }'
}

if [ "$netns" = - ]; then
  rules
else
  rules | ip netns exec "$netns" iptables-restore
fi
