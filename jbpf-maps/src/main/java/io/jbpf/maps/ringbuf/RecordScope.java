package io.jbpf.maps.ringbuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The generation counter behind {@link RingRecord}: each record handed to a
 * {@link RingRecordHandler} is stamped with the current generation, which moves on when its
 * handler returns, so that a record kept past that fails its check. One per reader.
 */
final class RecordScope {
    private static final VarHandle GENERATION;

    static {
        try {
            GENERATION = MethodHandles.lookup().findVarHandle(RecordScope.class, "generation", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through GENERATION
    private long generation;

    /** The generation of the record being handled now. */
    long current() {
        return (long) GENERATION.getAcquire(this);
    }

    /** Ends the current record's validity. */
    void end() {
        GENERATION.setRelease(this, (long) GENERATION.getAcquire(this) + 1);
    }

    /** {@code handler} as an in-place handler that wraps each record in a {@link RingRecord} of this scope. */
    RecordHandler wrap(RingRecordHandler handler) {
        return (buffer, offset, length) -> {
            RingRecord r = new RingRecord(this, current(), buffer, offset, length);
            try {
                handler.onRecord(r);
            } finally {
                end();
            }
        };
    }
}
