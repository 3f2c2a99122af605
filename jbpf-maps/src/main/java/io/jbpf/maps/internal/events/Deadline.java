package io.jbpf.maps.internal.events;

import java.time.Duration;

/** A wait limit for epoll: a negative duration waits without limit; durations past ~292 years saturate. */
public final class Deadline {
    private final long limitNs;
    private final long start = System.nanoTime();

    private Deadline(long limitNs) {
        this.limitNs = limitNs;
    }

    public static Deadline after(Duration timeout) {
        long ns;
        try {
            ns = timeout.isNegative() ? -1 : timeout.toNanos();
        } catch (ArithmeticException e) {
            ns = Long.MAX_VALUE;
        }
        return new Deadline(ns);
    }

    /** Nanoseconds left: {@link Long#MAX_VALUE} without limit, 0 or less when expired. */
    public long leftNanos() {
        return limitNs < 0 ? Long.MAX_VALUE : limitNs - (System.nanoTime() - start);
    }

    public boolean expired() {
        return leftNanos() <= 0;
    }

    /** The time left as epoll's timeout: -1 without limit, else whole milliseconds rounded up. */
    public int epollMillis() {
        if (limitNs < 0) {
            return -1;
        }
        return (int) Math.min(Integer.MAX_VALUE, (Math.max(0, leftNanos()) + 999_999) / 1_000_000);
    }
}
