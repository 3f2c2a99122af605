#!/usr/bin/env bash
# The jbpf demo (`jbpf demo`): a three-node cluster in network namespaces with jbpf's datapath on
# every node — status and endpoints, ping and curl across nodes, a policy that lets only app=netpod
# reach app=webpod on TCP 80, a blocked attempt with its drop reason in the flows — then it tears
# everything down. Installs what is missing, builds what is stale. Needs root.
set -euo pipefail
cd "$(dirname "$0")"
if [ "$(id -u)" -ne 0 ]; then
  echo "demo: run as root (it loads BPF programs and creates network namespaces)" >&2
  exit 1
fi
scripts/setup.sh
make -s -C native   # the BPF objects the build's tests and skeleton example use
exec ./jbpf demo "$@"
