package io.jbpf.maps.codec;

import java.net.Inet4Address;
import java.net.Inet6Address;

/** Records mirroring the C structs of native/testdata/maps/layouts.c. */
final class Structs {
    private Structs() {}

    record FlowKey(Inet4Address saddr, Inet4Address daddr, @NetworkOrder @Size(2) int sport,
            @NetworkOrder @Size(2) int dport, byte proto) {
    }

    record Counters(long packets, long bytes, int flags) {
    }

    record Mixed(byte a, long b, short c, int d, @Array(3) byte[] e) {
    }

    record Nested(byte tag, Counters counters, char tail) {
    }

    @Packed
    record PackedStruct(byte a, int b, short c) {
    }

    record WithArrays(@Array(3) short[] ports, long x, @Array(2) int[] ids) {
    }

    record Explicit(int a, @Offset(16) int b) {
    }

    record V6Key(int ifindex, Inet6Address addr, byte dir) {
    }

    record Floats(float f, double d, boolean ok, char c) {
    }

    record Small(@Size(2) int a, @Size(1) int b) {
    }
}
