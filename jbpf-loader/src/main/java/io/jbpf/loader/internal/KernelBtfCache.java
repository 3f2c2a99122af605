package io.jbpf.loader.internal;

import io.jbpf.core.btf.Btf;
import java.util.Optional;

/** The running kernel's BTF, parsed once per process on first use (CO-RE needs it for every object). */
public final class KernelBtfCache {
    private KernelBtfCache() {}

    private static final class Holder {
        static final Optional<Btf> KERNEL = Btf.kernel();
    }

    public static Optional<Btf> get() {
        return Holder.KERNEL;
    }
}
