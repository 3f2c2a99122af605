package io.jbpf.core.map;

/**
 * The byte arrays a caller hands a {@link RawMap}: how large a value buffer is, and the checks of
 * keys and values that both implementations (the kernel's and the in-memory one) make, in one
 * wording.
 */
final class Buffers {
    private Buffers() {
    }

    /** Bytes of one value buffer: for per-CPU maps one 8-byte-aligned slot per CPU of {@code cpus}. */
    static int valueBufferSize(MapSpec spec, int cpus) {
        return spec.type().perCpu() ? slotSize(spec) * cpus : spec.valueSize();
    }

    /** Bytes of one CPU's slot in a per-CPU value buffer. */
    static int slotSize(MapSpec spec) {
        return (spec.valueSize() + 7) & ~7;
    }

    /** Throws unless {@code key} is as long as the map's keys ({@code null} only for maps without keys). */
    static void checkKey(MapSpec spec, byte[] key) {
        if (key == null) {
            if (spec.keySize() != 0) {
                throw new IllegalArgumentException("map '" + spec.name() + "' needs a key of " + spec.keySize()
                        + " bytes, not null");
            }
            return;
        }
        if (key.length != spec.keySize()) {
            throw new IllegalArgumentException("map '" + spec.name() + "': key is " + key.length
                    + " bytes, the map's keys are " + spec.keySize());
        }
    }

    /** Throws unless {@code value} is {@code valueBufferSize} bytes long (for {@code cpus} CPUs). */
    static void checkValue(MapSpec spec, int valueBufferSize, int cpus, byte[] value) {
        if (value.length != valueBufferSize) {
            throw new IllegalArgumentException("map '" + spec.name() + "': value is " + value.length
                    + " bytes, the map's values are " + valueBufferSize
                    + (spec.type().perCpu() ? " (" + cpus + " CPUs × " + slotSize(spec) + ")" : ""));
        }
    }
}
