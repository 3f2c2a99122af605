package io.jbpf.maps.internal;

import io.jbpf.maps.codec.Codec;
import java.util.Arrays;
import java.util.List;

/**
 * The value of a per-CPU map as user space sees it: one value per possible CPU, each in a slot
 * rounded up to 8 bytes.
 *
 * @param <V> the per-CPU value
 */
public final class PerCpuCodec<V> implements Codec<List<V>> {
    private final Codec<V> element;
    private final int cpus;
    private final int slot;

    public PerCpuCodec(Codec<V> element, int cpus) {
        this.element = element;
        this.cpus = cpus;
        this.slot = slot(element.size());
    }

    /** The per-CPU slot size for a value of {@code size} bytes. */
    public static int slot(int size) {
        return (size + 7) & ~7;
    }

    /** The codec of one CPU's value. */
    public Codec<V> element() {
        return element;
    }

    /** The number of values. */
    public int cpus() {
        return cpus;
    }

    @Override
    public int size() {
        return slot * cpus;
    }

    @Override
    public int alignment() {
        return 8;
    }

    @Override
    public void encode(List<V> values, byte[] buf, int offset) {
        if (values.size() != cpus) {
            throw new IllegalArgumentException("a per-CPU value needs one value per possible CPU (" + cpus + "), not "
                    + values.size());
        }
        for (int i = 0; i < cpus; i++) {
            int at = offset + i * slot;
            element.encode(values.get(i), buf, at);
            Arrays.fill(buf, at + element.size(), at + slot, (byte) 0);
        }
    }

    @Override
    public List<V> decode(byte[] buf, int offset) {
        Object[] out = new Object[cpus];
        for (int i = 0; i < cpus; i++) {
            out[i] = element.decode(buf, offset + i * slot);
        }
        @SuppressWarnings("unchecked")
        List<V> list = (List<V>) List.of(out);
        return list;
    }

    @Override
    public String toString() {
        return "per-CPU " + element + " × " + cpus;
    }
}
