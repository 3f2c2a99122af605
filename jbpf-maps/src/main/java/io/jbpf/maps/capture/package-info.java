/**
 * Live packet capture with a pcap-filter expression: {@link io.jbpf.maps.capture.LiveCapture}
 * loads a {@link io.jbpf.core.dsl.filter.CaptureProgram} (an XDP or TC program that passes every
 * packet and copies the head of each matching one to a ring buffer), attaches it to a network
 * interface, hands each match to a {@link io.jbpf.maps.capture.CaptureHandler} as a
 * {@link io.jbpf.maps.capture.CapturedPacket} and reports {@link io.jbpf.maps.capture.CaptureCounts}.
 *
 * <p>It lives here, beside the ring buffer reader it needs (jbpf-core, which has the program and
 * the links, cannot depend on this module).
 */
package io.jbpf.maps.capture;
