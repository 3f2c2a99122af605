package io.jbpf.core.internal.sys;

/** Syscall numbers that libc has no wrapper for, per CPU architecture. */
final class Arch {
    final int bpf;
    final int perfEventOpen;

    private Arch(int bpf, int perfEventOpen) {
        this.bpf = bpf;
        this.perfEventOpen = perfEventOpen;
    }

    static Arch current() {
        String arch = System.getProperty("os.arch");
        switch (arch) {
            case "amd64":
            case "x86_64":
                return new Arch(321, 298);
            case "aarch64":
            case "riscv64":
            case "loongarch64":
                return new Arch(280, 241);
            case "s390x":
                return new Arch(351, 331);
            case "ppc64le":
            case "ppc64":
                return new Arch(361, 319);
            default:
                throw new UnsupportedOperationException("jbpf does not know the bpf() syscall number on " + arch);
        }
    }
}
