/**
 * Codecs: fixed-size binary forms of Java values, as BPF maps and programs see them. Primitive
 * integers in host or network order, byte arrays and IP addresses in {@link io.jbpf.maps.codec.Codecs},
 * and records laid out as C structs in {@link io.jbpf.maps.codec.RecordCodec} (annotations
 * {@link io.jbpf.maps.codec.Array}, {@link io.jbpf.maps.codec.Size}, {@link io.jbpf.maps.codec.Offset},
 * {@link io.jbpf.maps.codec.NetworkOrder}, {@link io.jbpf.maps.codec.Packed}).
 */
package io.jbpf.maps.codec;
