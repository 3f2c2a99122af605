package io.jbpf.maps.ringbuf;

/**
 * Receives one ring buffer record as a checked {@link RingRecord}: valid until this call returns,
 * after which every access to it throws {@link IllegalStateException} instead of reading memory
 * the kernel may have overwritten (or that is no longer mapped). Copy what you keep with
 * {@link RingRecord#toByteArray()} or {@link RingRecord#decode}.
 */
@FunctionalInterface
public interface RingRecordHandler {

    /** One record, valid during this call only. */
    void onRecord(RingRecord record);
}
