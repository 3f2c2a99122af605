package io.jbpf.core.link;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.internal.sys.Bpf;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.prog.Program;
import java.lang.ref.Reference;

/**
 * A program (type RAW_TRACEPOINT) on a raw tracepoint, e.g. {@code sys_enter}, with
 * {@code BPF_RAW_TRACEPOINT_OPEN} (Linux 4.17), which returns a {@code bpf_link} of type
 * raw_tracepoint (pinnable since 5.7). The program gets the tracepoint's raw arguments.
 */
public final class RawTracepointLink extends BpfLink {
    private final String tracepoint;

    private RawTracepointLink(Fd fd, String tracepoint) {
        super(fd);
        this.tracepoint = tracepoint;
    }

    /** Attaches {@code program} to the raw tracepoint {@code name} (e.g. {@code sys_enter}, {@code sched_switch}). */
    public static RawTracepointLink attach(Program program, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a raw tracepoint needs a name");
        }
        String what = "attach program '" + program.name() + "' to raw tracepoint " + name;
        NativeBuffer cname = NativeBuffer.cString(name);
        NativeBuffer a = Bpf.attr(BpfAttr.RawTracepoint.SIZE);
        a.buffer().putLong(BpfAttr.RawTracepoint.NAME, cname.address());
        a.buffer().putInt(BpfAttr.RawTracepoint.PROG_FD, program.fd());
        long r = Bpf.tryCall(BpfCommand.RAW_TRACEPOINT_OPEN, a, BpfAttr.RawTracepoint.SIZE);
        Reference.reachabilityFence(cname);
        if (r < 0) {
            Errno e = Errno.of((int) -r);
            if (e == Errno.ENOENT) {
                throw new AttachTargetNotFoundException("raw tracepoint", name,
                        "the kernel has no tracepoint of that name (names are without category, e.g. sys_enter)");
            }
            throw new AttachException(new BpfException(BpfCommand.RAW_TRACEPOINT_OPEN, e, what),
                    e == Errno.EINVAL ? "the program must be of type RAW_TRACEPOINT (or TRACING for tp_btf)" : "");
        }
        return new RawTracepointLink(Fd.own((int) r, "link (" + what + ")"), name);
    }

    /** The tracepoint's name. */
    public String tracepoint() {
        return tracepoint;
    }
}
