package io.jbpf.core.link;

import io.jbpf.core.BpfException;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.link.internal.Kallsyms;
import io.jbpf.core.link.internal.LinkFds;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * One program (type KPROBE, loaded with expected attach type {@code TRACE_KPROBE_MULTI}) on many
 * kernel functions at once, through fprobe ({@code BPF_LINK_CREATE} with
 * {@code BPF_TRACE_KPROBE_MULTI}; Linux 5.18). Kernels built without {@code CONFIG_FPROBE} refuse
 * it: attaching then throws {@link io.jbpf.core.features.UnsupportedFeatureException}.
 */
public final class KprobeMultiLink extends BpfLink {
    private static final int F_RETURN = 1;

    private final List<String> symbols;

    private KprobeMultiLink(Fd fd, List<String> symbols) {
        super(fd);
        this.symbols = symbols;
    }

    /** Attaches {@code program} at the entry of every function in {@code symbols}. */
    public static KprobeMultiLink attach(Program program, List<String> symbols) {
        return attach(program, symbols, false);
    }

    /** Attaches {@code program} to the entry, or with {@code retprobe} the return, of every function in {@code symbols}. */
    public static KprobeMultiLink attach(Program program, List<String> symbols, boolean retprobe) {
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException("kprobe_multi needs at least one symbol");
        }
        List<String> syms = List.copyOf(symbols);
        String what = "attach program '" + program.name() + "' to " + (retprobe ? "kretprobe" : "kprobe") + "_multi "
                + (syms.size() <= 3 ? syms : syms.subList(0, 3) + " and " + (syms.size() - 3) + " more");
        int progFd = program.fd();
        List<NativeBuffer> names = new ArrayList<>();
        NativeBuffer pointers = NativeBuffer.allocate(8 * syms.size());
        for (int i = 0; i < syms.size(); i++) {
            NativeBuffer n = NativeBuffer.cString(syms.get(i));
            names.add(n);
            pointers.buffer().putLong(8 * i, n.address());
        }
        try {
            Fd fd = LinkFds.create(progFd, 0, AttachType.TRACE_KPROBE_MULTI, 0, b -> {
                b.putInt(BpfAttr.LinkCreate.KPROBE_MULTI_FLAGS, retprobe ? F_RETURN : 0);
                b.putInt(BpfAttr.LinkCreate.KPROBE_MULTI_CNT, syms.size());
                b.putLong(BpfAttr.LinkCreate.KPROBE_MULTI_SYMS, pointers.address());
            }, "kprobe_multi links (the kernel needs CONFIG_FPROBE)", true, what);
            return new KprobeMultiLink(fd, syms);
        } catch (BpfException e) {
            for (String s : syms) {
                if (!Kallsyms.has(s)) {
                    throw new AttachTargetNotFoundException("kernel symbol", s, "not in /proc/kallsyms (" + what + ")");
                }
            }
            throw new AttachException(e, "check that the program was loaded with expected attach type "
                    + "TRACE_KPROBE_MULTI and that every symbol can be probed");
        } finally {
            Reference.reachabilityFence(names);
            Reference.reachabilityFence(pointers);
        }
    }

    /** The functions probed. */
    public List<String> symbols() {
        return symbols;
    }
}
