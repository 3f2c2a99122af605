package io.jbpf.core.dsl.nat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 32-bit flow hash the generated programs compute over a {@link FlowKey}: the key's words as
 * the CPU loads them (little-endian) multiplied and mixed. Java and eBPF give the same value, so a
 * control plane can predict which backend a flow's hash selects.
 */
public final class FlowHash {
    private FlowHash() {}

    /** The hash of {@code key}. */
    public static int of(FlowKey key) {
        ByteBuffer b = ByteBuffer.wrap(key.toBytes()).order(ByteOrder.LITTLE_ENDIAN);
        int h = b.getInt(0) * 0x9E3779B1;
        h = (h ^ b.getInt(4)) * 0x85EBCA6B;
        h = (h ^ b.getInt(8)) * 0xC2B2AE35;
        h ^= b.get(12) & 0xff;
        h ^= h >>> 16;
        h *= 0x9E3779B1;
        h ^= h >>> 15;
        return h;
    }
}
