package io.jbpf.maps.internal.events;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.internal.sys.Sys;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One shared memory mapping of a file descriptor with exactly one owner: {@link #close()} unmaps
 * it once. Views handed out by {@link #view} must not be used after that; the owners in this
 * package make sure no reader is inside the mapping when it is unmapped.
 */
public final class Mmap implements AutoCloseable {
    private final AtomicLong address;
    private final long length;
    private final String what;

    private Mmap(long address, long length, String what) {
        this.address = new AtomicLong(address);
        this.length = length;
        this.what = what;
    }

    /** {@code mmap(NULL, length, prot, MAP_SHARED, fd, offset)}, or a {@link BpfException} naming {@code what}. */
    public static Mmap map(int fd, long offset, long length, int prot, String what) {
        long r = Sys.get().mmap(0, length, prot, io.jbpf.core.internal.sys.Epoll.MAP_SHARED, fd, offset);
        if (r < 0 && r > -4096) {
            throw new BpfException("mmap(" + length + " bytes at offset " + offset + ")", Errno.of((int) -r), what);
        }
        return new Mmap(r, length, what);
    }

    /** The start address; throws when unmapped. */
    public long address() {
        long a = address.get();
        if (a == 0) {
            throw new ObjectClosedException(what);
        }
        return a;
    }

    /** The mapped length in bytes. */
    public long length() {
        return length;
    }

    /** A buffer over {@code len} bytes from {@code offset} (host byte order, no copy). */
    public ByteBuffer view(long offset, int len) {
        if (offset < 0 || len < 0 || offset + len > length) {
            throw new IndexOutOfBoundsException(what + ": view [" + offset + ", " + (offset + len)
                    + ") is outside the mapping of " + length + " bytes");
        }
        return Sys.get().view(address() + offset, len);
    }

    /** Unmaps, once. */
    @Override
    public void close() {
        long a = address.getAndSet(0);
        if (a != 0) {
            Sys.get().munmap(a, length);
        }
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
