package io.jbpf.core.features.internal;

import io.jbpf.core.internal.btf.BtfEnums;
import java.util.Optional;

/** The running kernel's BTF enums, read once when first needed. */
public final class KernelBtf {
    private KernelBtf() {}

    private static final class Holder {
        static final Optional<BtfEnums> ENUMS = BtfEnums.kernel();
    }

    /** The kernel's enums, empty without {@code /sys/kernel/btf/vmlinux}. */
    public static Optional<BtfEnums> enums() {
        return Holder.ENUMS;
    }
}
