package io.jbpf.maps.internal.events;

import io.jbpf.core.ObjectClosedException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets threads use shared memory (an mmap) while another thread may close its owner: memory is
 * released exactly once, when the owner is closed and no thread is inside. {@link #enter()} fails
 * with {@link ObjectClosedException} after {@link #close}; a thread already inside finishes and
 * the last one out releases.
 */
public final class Guard {
    private static final long CLOSED = 1L << 62;
    private static final long RELEASED = 1L << 61;
    private static final long COUNT = RELEASED - 1;

    private final AtomicLong state = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean exclusive = new java.util.concurrent.atomic.AtomicBoolean();
    private final String what;
    private final Runnable release;

    /** {@code release} frees the memory; {@code what} names the owner in exceptions. */
    public Guard(String what, Runnable release) {
        this.what = what;
        this.release = release;
    }

    /** Counts this thread in; throws when closed. */
    public void enter() {
        while (true) {
            long s = state.get();
            if ((s & CLOSED) != 0) {
                throw new ObjectClosedException(what);
            }
            if (state.compareAndSet(s, s + 1)) {
                return;
            }
        }
    }

    /**
     * Counts this thread in as the one thread allowed to read (or write) at a time; another thread
     * already doing so gets an {@link IllegalStateException} saying {@code activity}.
     */
    public void enterExclusive(String activity) {
        enter();
        if (!exclusive.compareAndSet(false, true)) {
            exit();
            throw new IllegalStateException(what + " is being " + activity + " by another thread; one thread at a time");
        }
    }

    /** Leaves what {@link #enterExclusive} entered. */
    public void exitExclusive() {
        exclusive.set(false);
        exit();
    }

    /** Counts this thread out; the last one out after a close releases. */
    public void exit() {
        long s = state.decrementAndGet();
        if (s == CLOSED) {
            releaseOnce();
        }
    }

    /** Whether {@link #close} has been called (the memory may still be in use until the last exit). */
    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** Marks closed; returns false if it already was. Releases now when nobody is inside. */
    public boolean close() {
        long s = state.getAndUpdate(x -> x | CLOSED);
        if ((s & CLOSED) != 0) {
            return false;
        }
        if ((s & COUNT) == 0) {
            releaseOnce();
        }
        return true;
    }

    private void releaseOnce() {
        if (state.compareAndSet(CLOSED, CLOSED | RELEASED)) {
            release.run();
        }
    }

    /** The name of the owner, for messages. */
    public String what() {
        return what;
    }
}
