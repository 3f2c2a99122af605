#!/usr/bin/env bash
# Installs what jbpf's build, tests and demo need on a fresh Debian machine, and mounts the kernel
# file systems they use. Idempotent: it installs only what is missing and mounts only what is not
# mounted. Run as root (apt-get, mount); as another user it only checks.
set -euo pipefail

JDK25=${JBPF_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JDK17=${JBPF_JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}

need_pkgs=()
have() { command -v "$1" >/dev/null 2>&1; }
have clang || need_pkgs+=(clang)
# clang 17+ for BPF ISA v4 (-mcpu=v4) and the objdump syntax the asm tests compare with
have clang-19 || need_pkgs+=(clang-19)
have llvm-objdump-19 || need_pkgs+=(llvm-19)
have bpftool || need_pkgs+=(bpftool)
have ip || need_pkgs+=(iproute2)
have ping || need_pkgs+=(iputils-ping)
# the netpolicy lab: its tests curl the pods' whoami; it starts pod servers with setsid
have curl || need_pkgs+=(curl)
have setsid || need_pkgs+=(util-linux)
have tcpdump || need_pkgs+=(tcpdump)
have python3 || need_pkgs+=(python3)
# the NAT and load-balancer examples turn off checksum offload so the stack checks every checksum
have ethtool || need_pkgs+=(ethtool)
# the service benchmark programs kube-proxy's iptables rules for comparison
have iptables-restore || need_pkgs+=(iptables)
have cc || need_pkgs+=(gcc)
have make || need_pkgs+=(make)
have mvn || need_pkgs+=(maven)
[ -f /usr/include/bpf/libbpf.h ] || need_pkgs+=(libbpf-dev)
[ -x "$JDK17/bin/java" ] || need_pkgs+=(openjdk-17-jdk-headless)

if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages ${need_pkgs[*]}; run as root to install them" >&2
    exit 1
  fi
  echo "setup: installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${need_pkgs[@]}" >/dev/null
fi

# Optional: BPF objects that others built, for the loader's tests on foreign objects
# (ForeignObjectsTest); that test skips, naming the package, where it cannot be installed.
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
if ! have_pkg libbpf-tools; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: libbpf-tools is not installed (optional; run as root to install it)" >&2
  else
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq -o DPkg::Lock::Timeout=600 libbpf-tools >/dev/null 2>&1; then
      apt-get update -qq || true
      apt-get install -y -qq -o DPkg::Lock::Timeout=600 libbpf-tools >/dev/null \
        || echo "setup: WARNING: cannot install libbpf-tools; the loader's foreign-object tests will skip" >&2
    fi
  fi
fi

if [ ! -x "$JDK25/bin/java" ]; then
  echo "setup: jbpf builds on JDK 22+; expected one at $JDK25 (set JBPF_JDK25 to another)" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  # bpffs for pins, tracefs for tracepoints and kprobes
  mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
  if [ -d /sys/kernel/tracing ] && ! mountpoint -q /sys/kernel/tracing; then
    mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
  fi
  mkdir -p /var/run/netns
fi
