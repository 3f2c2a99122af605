package io.jbpf.maps.perf;

import java.nio.ByteBuffer;

/**
 * Receives the raw data of one perf sample, in place. {@code buffer} is a read-only view of the
 * CPU's perf ring (or, for a sample that wraps around the ring's end, of a reused copy); the
 * sample is the {@code length} bytes from {@code offset} (absolute indices). The kernel pads raw
 * data so that the whole record is a multiple of 8 bytes: {@code length} may exceed what the
 * program passed to {@code bpf_perf_event_output} by up to 7 bytes. Valid only during the call.
 */
@FunctionalInterface
public interface SampleHandler {

    /** One sample written on {@code cpu}: {@code length} bytes at {@code offset} of {@code buffer}. */
    void onSample(int cpu, ByteBuffer buffer, int offset, int length);
}
