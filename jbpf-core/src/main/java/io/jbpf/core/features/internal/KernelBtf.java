package io.jbpf.core.features.internal;

import io.jbpf.core.btf.Btf;
import java.util.Optional;

/** The running kernel's BTF, parsed once when first needed. */
public final class KernelBtf {
    private KernelBtf() {}

    private static final class Holder {
        static final Optional<Btf> BTF = Btf.kernel();
    }

    /** The kernel's BTF, empty without {@code /sys/kernel/btf/vmlinux}. */
    public static Optional<Btf> get() {
        return Holder.BTF;
    }
}
