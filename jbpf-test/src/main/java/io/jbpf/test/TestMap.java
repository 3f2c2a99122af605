package io.jbpf.test;

import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One map of a {@link BpfProgramUnderTest}, the same on every engine: an in-memory map for the
 * VM, a kernel map for the kernel. Read it after a run, fill it before one.
 *
 * <p>Raw access takes keys and values as bytes of the spec's sizes (per-CPU maps: one value per
 * possible CPU, each padded to 8 bytes, as the kernel gives them). The integer forms read keys and
 * values as host-order unsigned integers of 1, 2, 4 or 8 bytes; on per-CPU maps they read the
 * <em>sum over all CPUs</em> and write CPU 0's slot (zeroing the others), so that a counter reads
 * the same whichever CPU the kernel ran the program on. {@link #typed} gives a view through
 * jbpf-maps {@link Codec}s.
 */
public final class TestMap {
    private final RawMap map;
    private final String owner;

    /** A view of {@code map}. */
    public TestMap(RawMap map) {
        this(map, "");
    }

    TestMap(RawMap map, String owner) {
        this.map = Objects.requireNonNull(map, "map");
        this.owner = owner;
    }

    /** How messages name this map: {@code map 'counts' (counter on kernel)}. */
    public String describe() {
        return "map '" + name() + "'" + (owner.isEmpty() ? "" : " (" + owner + ")");
    }

    /** The map's spec. */
    public MapSpec spec() {
        return map.spec();
    }

    /** The map's name. */
    public String name() {
        return map.spec().name();
    }

    /** The underlying map: a {@link io.jbpf.core.map.MemoryMap} or a {@link io.jbpf.core.map.KernelMap}. */
    public RawMap raw() {
        return map;
    }

    /** Whether values hold one slot per CPU. */
    public boolean perCpu() {
        MapType t = map.spec().type();
        return t == MapType.PERCPU_HASH || t == MapType.PERCPU_ARRAY || t == MapType.LRU_PERCPU_HASH;
    }

    // ---- raw ----

    /** The value of {@code key}, if any. */
    public Optional<byte[]> get(byte[] key) {
        byte[] v = new byte[map.valueBufferSize()];
        return map.lookup(checkKey(key), v) ? Optional.of(v) : Optional.empty();
    }

    /** Whether {@code key} has a value. */
    public boolean containsKey(byte[] key) {
        return get(key).isPresent();
    }

    /** Sets {@code key} to {@code value} (creating or replacing it). */
    public void put(byte[] key, byte[] value) {
        if (value.length != map.valueBufferSize()) {
            throw new IllegalArgumentException("map '" + name() + "' takes values of " + map.valueBufferSize()
                    + " bytes, not " + value.length);
        }
        map.update(checkKey(key), value, MapFlags.ANY);
    }

    /** Removes {@code key}; {@code false} when there was none. */
    public boolean delete(byte[] key) {
        return map.delete(checkKey(key));
    }

    /** Every key, in the map's iteration order. */
    public List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        byte[] cur = null;
        for (;;) {
            byte[] next = new byte[map.spec().keySize()];
            if (!map.nextKey(cur, next)) {
                return keys;
            }
            keys.add(next);
            cur = next;
        }
    }

    /** One key and its value. */
    public record Entry(byte[] key, byte[] value) {
        @Override
        public String toString() {
            return HexFormat.of().formatHex(key) + "=" + HexFormat.of().formatHex(value);
        }
    }

    /** Every entry, in the map's iteration order. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (byte[] k : keys()) {
            get(k).ifPresent(v -> out.add(new Entry(k, v)));
        }
        return out;
    }

    /**
     * The number of keys. Arrays have every index as a key, so this is their capacity; count
     * non-zero values with {@link #nonZeroCount()}.
     */
    public int size() {
        return keys().size();
    }

    /** The number of entries whose value is not all zeros. */
    public int nonZeroCount() {
        int n = 0;
        for (Entry e : entries()) {
            for (byte b : e.value()) {
                if (b != 0) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    // ---- integers ----

    /** The key {@code key} encoded as a host-order integer of the spec's key size (1, 2, 4 or 8). */
    public byte[] intKey(long key) {
        return encode(key, map.spec().keySize(), "key");
    }

    /** Whether the integer key {@code key} has a value. */
    public boolean containsKey(long key) {
        return containsKey(intKey(key));
    }

    /**
     * The value of integer key {@code key} as an unsigned integer (per-CPU maps: the sum over CPUs),
     * if any.
     */
    public Optional<Long> getLong(long key) {
        return get(intKey(key)).map(this::decodeValue);
    }

    /** Sets integer key {@code key} to {@code value} (per-CPU maps: in CPU 0's slot, zero in the others). */
    public void putLong(long key, long value) {
        int size = map.spec().valueSize();
        byte[] one = encode(value, size, "value");
        byte[] v = new byte[map.valueBufferSize()];
        System.arraycopy(one, 0, v, 0, size);
        put(intKey(key), v);
    }

    /** The value of {@code v} (this map's value buffer) as an unsigned integer; per-CPU: the sum. */
    long decodeValue(byte[] v) {
        int size = map.spec().valueSize();
        checkIntSize(size, "value");
        if (!perCpu()) {
            return decode(v, 0, size);
        }
        int stride = (size + 7) & ~7;
        long sum = 0;
        for (int off = 0; off + size <= v.length; off += stride) {
            sum += decode(v, off, size);
        }
        return sum;
    }

    /** An integer key as a decimal number, for messages. */
    public String describeInt(byte[] key) {
        return Long.toUnsignedString(decode(key, 0, key.length));
    }

    /** An entry's integer value as a decimal number (per-CPU: the sum), for messages. */
    public String describeInt(Entry e) {
        return Long.toUnsignedString(decodeValue(e.value()));
    }

    // ---- codecs ----

    /**
     * A typed view through {@code keyCodec} and {@code valueCodec} (e.g. {@code Codecs.u32()},
     * a record codec). The value codec decodes one value: per-CPU maps are not supported here.
     *
     * @throws IllegalArgumentException when a codec's size does not match the spec
     */
    public <K, V> TypedTestMap<K, V> typed(Codec<K> keyCodec, Codec<V> valueCodec) {
        if (keyCodec.size() != map.spec().keySize() || valueCodec.size() != map.valueBufferSize()) {
            throw new IllegalArgumentException("map '" + name() + "' has " + map.spec().keySize() + "-byte keys and "
                    + map.valueBufferSize() + "-byte values" + (perCpu() ? " (all CPUs)" : "") + "; the codecs take "
                    + keyCodec.size() + " and " + valueCodec.size());
        }
        return new TypedTestMap<>(this, keyCodec, valueCodec);
    }

    private byte[] checkKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != map.spec().keySize()) {
            throw new IllegalArgumentException("map '" + name() + "' takes keys of " + map.spec().keySize()
                    + " bytes, not " + key.length);
        }
        return key;
    }

    private void checkIntSize(int size, String what) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("map '" + name() + "' has " + size + "-byte " + what
                    + "s: integer access needs 1, 2, 4 or 8 bytes; use the byte[] methods or typed()");
        }
    }

    private byte[] encode(long x, int size, String what) {
        checkIntSize(size, what);
        if (size < 8 && (x >>> (8 * size)) != 0) {
            throw new IllegalArgumentException(what + " " + x + " does not fit the " + size + "-byte " + what
                    + "s of map '" + name() + "'");
        }
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, x);
        byte[] out = new byte[size];
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            System.arraycopy(b.array(), 0, out, 0, size);
        } else {
            System.arraycopy(b.array(), 8 - size, out, 0, size);
        }
        return out;
    }

    private static long decode(byte[] v, int off, int size) {
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
        switch (size) {
            case 1:
                return v[off] & 0xffL;
            case 2:
                return b.getShort(off) & 0xffffL;
            case 4:
                return b.getInt(off) & 0xffffffffL;
            default:
                return b.getLong(off);
        }
    }

    @Override
    public String toString() {
        return "TestMap[" + name() + ", " + map.spec().type() + ", " + map.getClass().getSimpleName() + "]";
    }
}
