package io.jbpf.core.vm.internal;

import io.jbpf.core.vm.Context;
import io.jbpf.core.vm.MemoryContext;
import io.jbpf.core.vm.SkbContext;
import io.jbpf.core.vm.XdpContext;

/** Lays a {@link Context} out in a run's memory. */
public final class Contexts {
    private Contexts() {}

    public static ContextState bind(Context ctx, Machine machine) {
        Memory memory = machine.memory;
        if (ctx instanceof MemoryContext m) {
            return new MemoryState(memory, m.memory());
        }
        if (ctx instanceof XdpContext x) {
            return new XdpState(machine, x);
        }
        return new SkbState(memory, (SkbContext) ctx);
    }
}
