package io.jbpf.core.link;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.PerfEventAttr;
import io.jbpf.core.link.internal.Kallsyms;
import io.jbpf.core.link.internal.PerfEvents;
import io.jbpf.core.prog.Program;
import java.lang.ref.Reference;

/**
 * A program (type KPROBE) on a kernel function's entry (kprobe) or return (kretprobe), through
 * the kprobe perf PMU ({@code /sys/bus/event_source/devices/kprobe}; Linux 4.17). Kernels built
 * without {@code CONFIG_KPROBES} have no such PMU: attaching throws
 * {@link io.jbpf.core.features.UnsupportedFeatureException}.
 */
public final class KprobeLink extends PerfEventLink {
    private static final String FEATURE = "kprobes";
    private static final String SINCE = "4.17";

    private KprobeLink(PerfEvents.Attached a, String description) {
        super(a, description);
    }

    /** Attaches {@code program} at the entry of kernel function {@code symbol}. */
    public static KprobeLink attach(Program program, String symbol) {
        return attach(program, symbol, 0, false, PerfAttachMethod.AUTO);
    }

    /** Attaches {@code program} to the return of kernel function {@code symbol}. */
    public static KprobeLink attachReturn(Program program, String symbol) {
        return attach(program, symbol, 0, true, PerfAttachMethod.AUTO);
    }

    /**
     * Attaches {@code program} at {@code offset} bytes into {@code symbol} (0 for its entry), or
     * to its return with {@code retprobe}, by {@code method}.
     */
    public static KprobeLink attach(Program program, String symbol, long offset, boolean retprobe,
            PerfAttachMethod method) {
        if (symbol == null || symbol.isEmpty()) {
            throw new IllegalArgumentException("a kprobe needs a kernel symbol name");
        }
        program.fd();
        int type = PerfEvents.pmuType("kprobe", FEATURE, SINCE);
        long config = retprobe ? PerfEvents.retprobeBit("kprobe") : 0;
        String what = "attach program '" + program.name() + "' to " + (retprobe ? "kretprobe" : "kprobe") + " "
                + symbol + (offset != 0 ? "+" + offset : "");
        NativeBuffer name = NativeBuffer.cString(symbol);
        NativeBuffer attr = PerfEvents.attr(type, config);
        attr.buffer().putLong(PerfEventAttr.CONFIG1, name.address());
        attr.buffer().putLong(PerfEventAttr.CONFIG2, offset);
        int r = PerfEvents.tryOpen(attr, -1);
        Reference.reachabilityFence(name);
        if (r < 0) {
            Errno e = Errno.of(-r);
            if ((e == Errno.ENOENT || e == Errno.EINVAL) && !Kallsyms.has(symbol)) {
                throw new AttachTargetNotFoundException("kernel symbol", symbol,
                        "not in /proc/kallsyms (" + what + " failed with " + e + ")");
            }
            throw new AttachException(new BpfException("perf_event_open", e, what),
                    e == Errno.ENOENT || e == Errno.EINVAL
                            ? symbol + " exists but cannot be probed (inlined, notrace or blacklisted?)" : "");
        }
        return new KprobeLink(PerfEvents.attach(program, PerfEvents.own(r, what), method, 0, what),
                (retprobe ? "kretprobe " : "kprobe ") + symbol + ", program '" + program.name() + "'");
    }
}
