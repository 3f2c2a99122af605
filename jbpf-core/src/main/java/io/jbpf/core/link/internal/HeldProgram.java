package io.jbpf.core.link.internal;

import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.prog.Program;
import java.util.function.IntConsumer;

/**
 * The program an attachment without a kernel link object keeps attached: its own fd for the
 * program (so the caller may close the {@link Program}), and the name for messages. Not
 * thread-safe: its attachment synchronises.
 */
public final class HeldProgram {
    private Fd fd;
    private String name;

    private HeldProgram(Fd fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /** Holds a new fd of {@code program}. */
    public static HeldProgram of(Program program) {
        return new HeldProgram(LinkFds.programFd(program), program.name());
    }

    /** The held program's fd; throws once released. */
    public int fd() {
        return fd.get();
    }

    public String name() {
        return name;
    }

    public boolean isReleased() {
        return fd.isClosed();
    }

    /**
     * Replaces the held program by {@code next}: {@code apply} gets the new program's fd and does
     * the kernel's part; only when it succeeds is the old program released and the new one held.
     */
    public void replace(Program next, IntConsumer apply) {
        Fd nextFd = LinkFds.programFd(next);
        try {
            apply.accept(nextFd.get());
        } catch (RuntimeException e) {
            nextFd.close();
            throw e;
        }
        fd.close();
        fd = nextFd;
        name = next.name();
    }

    /** Lets go of the program fd (the kernel keeps what is attached). */
    public void release() {
        fd.close();
    }
}
