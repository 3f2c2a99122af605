package io.jbpf.core.internal.sys;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;

/**
 * bpf() with a per-thread {@code union bpf_attr} scratch buffer (in this thread's
 * {@link CallFrame}): callers fill {@link #attr}, then {@link #call}. Not reentrant within one
 * thread (no call fills attr while another is being filled).
 */
public final class Bpf {
    /** Larger than any {@code union bpf_attr} the kernel has had so far. */
    public static final int ATTR_CAPACITY = 256;

    private Bpf() {}

    /** This thread's attr buffer, zeroed over {@code size} bytes. */
    public static NativeBuffer attr(int size) {
        return CallFrame.current().attr(size);
    }

    /** Run {@code cmd} on this thread's attr; returns the result or throws a {@link BpfException}. */
    public static long call(BpfCommand cmd, NativeBuffer attr, int size, String what) {
        long r = Sys.get().bpf(cmd.number(), attr.address(), size);
        if (r < 0) {
            throw new BpfException(cmd, Errno.of((int) -r), what);
        }
        return r;
    }

    /** Run {@code cmd} on the attr of {@code frame}, this thread's frame; returns the result or {@code -errno}. */
    public static long tryCall(CallFrame frame, BpfCommand cmd, int size) {
        return Sys.get().bpf(frame, cmd.number(), size);
    }

    /** Run {@code cmd}; returns the result or {@code -errno}, for callers that handle errors themselves. */
    public static long tryCall(BpfCommand cmd, NativeBuffer attr, int size) {
        return Sys.get().bpf(cmd.number(), attr.address(), size);
    }

    /** Run {@code cmd} that returns a new fd, and own it. */
    public static Fd callForFd(BpfCommand cmd, NativeBuffer attr, int size, String what) {
        return Fd.own((int) call(cmd, attr, size, what), what);
    }
}
