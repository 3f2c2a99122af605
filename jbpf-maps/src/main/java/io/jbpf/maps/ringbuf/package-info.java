/**
 * BPF ring buffers ({@code BPF_MAP_TYPE_RINGBUF}, Linux 5.8) read from Java, and user ring
 * buffers ({@code BPF_MAP_TYPE_USER_RINGBUF}, Linux 6.1) written from Java.
 *
 * <p>{@link io.jbpf.maps.ringbuf.RingBufferReader} maps the kernel's ring into memory and hands
 * each record to a {@link io.jbpf.maps.ringbuf.RecordHandler} in place, with no system call and
 * no allocation per record; a {@link io.jbpf.maps.ringbuf.RingRecordHandler} gets a checked
 * {@link io.jbpf.maps.ringbuf.RingRecord} instead, which throws when kept past its handler.
 * {@link io.jbpf.maps.ringbuf.MultiRingBufferReader} reads several ring buffers with one epoll,
 * each with its own handler. {@link io.jbpf.maps.ringbuf.UserRingBufferWriter} reserves and
 * submits records for a program to drain with {@code bpf_user_ringbuf_drain}.
 */
package io.jbpf.maps.ringbuf;
