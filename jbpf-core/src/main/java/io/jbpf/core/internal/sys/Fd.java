package io.jbpf.core.internal.sys;

import io.jbpf.core.ObjectClosedException;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One kernel file descriptor with exactly one owner. {@link #close()} closes it once; later
 * {@link #get()} throws {@link ObjectClosedException}. An {@code Fd} that becomes unreachable
 * while open is closed by a {@link Cleaner}, and the leak is logged.
 */
public final class Fd implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final System.Logger LOG = System.getLogger("io.jbpf");

    /** The part the cleaner may hold: no reference back to the Fd. */
    private static final class State implements Runnable {
        final AtomicInteger fd;
        final String what;
        volatile boolean explicit;

        State(int fd, String what) {
            this.fd = new AtomicInteger(fd);
            this.what = what;
        }

        @Override
        public void run() {
            int n = fd.getAndSet(-1);
            if (n < 0) {
                return;
            }
            if (!explicit) {
                LOG.log(System.Logger.Level.WARNING, "jbpf: " + what + " (fd " + n
                        + ") was never closed; closing it now. Close it, e.g. with try-with-resources.");
            }
            Sys.get().close(n);
        }
    }

    private final State state;
    private final Cleaner.Cleanable cleanable;

    private Fd(int fd, String what) {
        this.state = new State(fd, what);
        this.cleanable = CLEANER.register(this, state);
    }

    /** Take ownership of {@code fd}; {@code what} names the object in messages ("map 'counts'"). */
    public static Fd own(int fd, String what) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        return new Fd(fd, what);
    }

    /** The descriptor number; throws when closed. */
    public int get() {
        int n = state.fd.get();
        if (n < 0) {
            throw new ObjectClosedException(state.what);
        }
        return n;
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        return state.fd.get() < 0;
    }

    /** What this fd is, for messages. */
    public String what() {
        return state.what;
    }

    @Override
    public void close() {
        state.explicit = true;
        cleanable.clean();
    }

    /** Close on an error path, where the first error is the one to report. */
    public static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on an error path: the first error is the one that matters
        }
    }

    @Override
    public String toString() {
        int n = state.fd.get();
        return state.what + (n < 0 ? " (closed)" : " (fd " + n + ")");
    }

}
