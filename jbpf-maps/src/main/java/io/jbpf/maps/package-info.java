/**
 * Typed maps: a {@link io.jbpf.core.map.RawMap} (kernel or in-memory) seen through a key and a value
 * {@link io.jbpf.maps.codec.Codec}.
 *
 * <p>One class per map type: {@link io.jbpf.maps.BpfHashMap}, {@link io.jbpf.maps.BpfLruHashMap},
 * {@link io.jbpf.maps.BpfPerCpuHashMap}, {@link io.jbpf.maps.BpfLruPerCpuHashMap},
 * {@link io.jbpf.maps.BpfArray}, {@link io.jbpf.maps.BpfPerCpuArray}, {@link io.jbpf.maps.BpfLpmTrie}
 * (with {@link io.jbpf.maps.Cidr} keys), {@link io.jbpf.maps.BpfQueue}, {@link io.jbpf.maps.BpfStack},
 * {@link io.jbpf.maps.BpfBloomFilter}, {@link io.jbpf.maps.BpfProgramArray},
 * {@link io.jbpf.maps.BpfArrayOfMaps}, {@link io.jbpf.maps.BpfHashOfMaps}, {@link io.jbpf.maps.BpfDevMap}
 * and {@link io.jbpf.maps.BpfCpuMap}; {@link io.jbpf.maps.SocketMap} and {@link io.jbpf.maps.BpfXskMap}
 * (AF_XDP sockets) hold sockets by fd. Each has {@code create} factories (a {@code MapSpec} plus
 * codecs, checked against each other), {@code of(RawMap, …)} for a view of a map someone else owns,
 * and, where useful, {@code openPinned} / {@code fromId}, which check the kernel's map type and sizes
 * against the codecs ({@link io.jbpf.maps.MapMismatchException} names both sizes).
 *
 * <p>Conventions: a missing key reads as {@code null}, as in {@code java.util.Map}; a full map throws
 * {@link io.jbpf.maps.MapFullException} (E2BIG); every other kernel refusal is a
 * {@link io.jbpf.core.BpfException} naming the map and the errno (EPERM for frozen or read-only maps).
 * Bulk operations use the kernel's batch commands where it has them ({@link io.jbpf.maps.BatchMode}).
 */
package io.jbpf.maps;
