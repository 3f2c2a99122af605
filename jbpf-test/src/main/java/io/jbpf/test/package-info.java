/**
 * JUnit 5 support for eBPF programs (extension, packet builders, AssertJ assertions).
 *
 * <p>Packet builders and a packet parser are in {@link io.jbpf.test.packet}; the extension and the
 * assertions are not implemented yet.
 */
package io.jbpf.test;
