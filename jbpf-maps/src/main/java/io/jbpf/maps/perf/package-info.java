/**
 * Perf event arrays ({@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}) read from Java: one perf ring per
 * CPU that programs fill with {@code bpf_perf_event_output}, read by
 * {@link io.jbpf.maps.perf.PerfEventReader}.
 */
package io.jbpf.maps.perf;
