package io.jbpf.maps.internal.events;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.internal.sys.Epoll;
import io.jbpf.core.internal.sys.Sys;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One shared memory mapping of a file descriptor with exactly one owner: {@link #close()} unmaps
 * it once. Views handed out by {@link #view} must not be used after that; the owners in this
 * package make sure no reader is inside the mapping when it is unmapped.
 *
 * <p>A mapping whose {@code Mmap} becomes unreachable while mapped (its owner was forgotten
 * without {@code close()}) is unmapped by a {@link Cleaner}, and the leak is logged, as
 * {@link io.jbpf.core.internal.sys.Fd} does for fds. This matters beyond address space: a mapping
 * of a BPF map holds a reference on the map, which keeps it alive in the kernel.
 */
public final class Mmap implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final System.Logger LOG = System.getLogger("io.jbpf");

    /** What the cleaner may hold: no reference back to the Mmap. */
    private static final class State implements Runnable {
        final AtomicLong address;
        final long length;
        final String what;
        volatile boolean explicit;

        State(long address, long length, String what) {
            this.address = new AtomicLong(address);
            this.length = length;
            this.what = what;
        }

        @Override
        public void run() {
            long a = address.getAndSet(0);
            if (a == 0) {
                return;
            }
            if (!explicit) {
                LOG.log(System.Logger.Level.WARNING, "jbpf: " + what + " (" + length
                        + " bytes mapped) was never closed; unmapping it now. Close its reader or writer.");
            }
            Sys.get().munmap(a, length);
        }
    }

    private final State state;
    private final Cleaner.Cleanable cleanable;

    private Mmap(long address, long length, String what) {
        this.state = new State(address, length, what);
        this.cleanable = CLEANER.register(this, state);
    }

    /** {@code mmap(NULL, length, prot, MAP_SHARED, fd, offset)}, or a {@link BpfException} naming {@code what}. */
    public static Mmap map(int fd, long offset, long length, int prot, String what) {
        long r = Sys.get().mmap(0, length, prot, Epoll.MAP_SHARED, fd, offset);
        if (r < 0 && r > -4096) {
            throw new BpfException("mmap(" + length + " bytes at offset " + offset + ")", Errno.of((int) -r), what);
        }
        return new Mmap(r, length, what);
    }

    /** The start address; throws when unmapped. */
    public long address() {
        long a = state.address.get();
        if (a == 0) {
            throw new ObjectClosedException(state.what);
        }
        return a;
    }

    /** The mapped length in bytes. */
    public long length() {
        return state.length;
    }

    /** Whether the mapping is gone. */
    public boolean isClosed() {
        return state.address.get() == 0;
    }

    /**
     * A buffer over {@code len} bytes from {@code offset} (host byte order, no copy). The buffer
     * does not keep this {@code Mmap} reachable: its owner must.
     */
    public ByteBuffer view(long offset, int len) {
        if (offset < 0 || len < 0 || offset + len > state.length) {
            throw new IndexOutOfBoundsException(state.what + ": view [" + offset + ", " + (offset + len)
                    + ") is outside the mapping of " + state.length + " bytes");
        }
        return Sys.get().view(address() + offset, len);
    }

    /** Unmaps, once. */
    @Override
    public void close() {
        state.explicit = true;
        cleanable.clean();
    }

    /** Close several on an error or close path; nulls are skipped. */
    public static void closeAll(Mmap... maps) {
        for (Mmap m : maps) {
            if (m != null) {
                m.close();
            }
        }
    }
}
