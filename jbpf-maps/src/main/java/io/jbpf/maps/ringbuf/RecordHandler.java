package io.jbpf.maps.ringbuf;

import java.nio.ByteBuffer;

/**
 * Receives one record in place. {@code buffer} is a read-only view of the shared memory the
 * kernel writes to; the record is the {@code length} bytes from {@code offset} (absolute
 * indices: use {@code buffer.getLong(offset)}, {@code buffer.get(offset, dst)}, never the
 * buffer's position). The view is valid only during the call: the memory may be overwritten as
 * soon as it returns, so copy what you keep.
 *
 * <p>Nothing checks this rule here: a buffer kept past the call reads whatever the kernel wrote
 * there since, and after the reader is closed the memory is unmapped and reading it may crash the
 * JVM. This is the allocation-free form for hot paths; {@link RingRecordHandler} receives a
 * {@link RingRecord} that throws {@link IllegalStateException} when used after the call.
 */
@FunctionalInterface
public interface RecordHandler {

    /** One record: {@code length} bytes at {@code offset} of {@code buffer}. */
    void onRecord(ByteBuffer buffer, int offset, int length);
}
