package io.jbpf.maps.codec;

import io.jbpf.maps.internal.RecordCodecGenerator;
import java.lang.invoke.MethodHandles;
import java.util.Objects;

/**
 * A Java record laid out as a C struct, as clang lays it out on x86_64 and arm64:
 * <ul>
 *   <li>components in declaration order; {@code byte, short, char, int, long, float, double, boolean}
 *       are {@code __s8, __s16, __u16, __s32, __s64, float, double, _Bool} (use {@link Size} for a
 *       narrower unsigned C integer, e.g. {@code @Size(2) int port} for {@code __u16});</li>
 *   <li>each field at the next multiple of its alignment (its size, for primitives), or at its
 *       {@link Offset}; {@code sizeof} is rounded up to the largest alignment (none with {@link Packed});</li>
 *   <li>fixed arrays of {@code byte/short/int/long} with {@link Array}; nested records as nested
 *       structs; {@code Inet4Address} / {@code Inet6Address} as {@code __be32} / {@code struct in6_addr};</li>
 *   <li>integers in host order unless {@link NetworkOrder}; padding always encoded as zeros (so
 *       equal records give equal hash-map keys).</li>
 * </ul>
 * The codec is a class generated per record (a hidden class next to it) so that encode and decode
 * run without reflection and allocate nothing but the decoded record. Obtain one with
 * {@link #of(Class)}; instances are cached per record class and thread-safe.
 *
 * @param <R> the record type
 */
public abstract class RecordCodec<R extends Record> implements Codec<R> {
    private static final ClassValue<RecordCodec<?>> CACHE = new ClassValue<>() {
        @Override
        protected RecordCodec<?> computeValue(Class<?> type) {
            return create(type.asSubclass(Record.class));
        }
    };

    private final Class<R> type;
    private final StructLayout layout;
    /** The codecs of nested fields by field index (null for primitive fields); used by generated code. */
    protected final Codec<Object>[] codecs;

    /**
     * For generated subclasses only.
     *
     * @param type   the record
     * @param layout its layout
     * @param codecs the nested codecs by field index
     */
    @SuppressWarnings("unchecked")
    protected RecordCodec(Class<R> type, StructLayout layout, Codec<?>[] codecs) {
        this.type = type;
        this.layout = layout;
        this.codecs = (Codec<Object>[]) codecs.clone();
    }

    /**
     * The codec of {@code type}, generated once and cached.
     *
     * @throws LayoutException when a component has no C layout or an annotation contradicts the layout
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> RecordCodec<R> of(Class<R> type) {
        Objects.requireNonNull(type, "type");
        return (RecordCodec<R>) CACHE.get(type);
    }

    /**
     * A new codec of {@code type} defined with {@code lookup}, for records in named modules that do
     * not open their package to jbpf: pass {@code MethodHandles.lookup()} from the record's package.
     */
    public static <R extends Record> RecordCodec<R> of(Class<R> type, MethodHandles.Lookup lookup) {
        return RecordCodecGenerator.generate(type, lookup);
    }

    private static <R extends Record> RecordCodec<R> create(Class<R> type) {
        MethodHandles.Lookup lookup;
        try {
            lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        } catch (IllegalAccessException e) {
            throw new LayoutException("jbpf cannot define a codec class next to " + type.getName()
                    + ": open its package to jbpf, or use RecordCodec.of(type, MethodHandles.lookup())", e);
        }
        return RecordCodecGenerator.generate(type, lookup);
    }

    /** The record class. */
    public Class<R> type() {
        return type;
    }

    /** Where each field sits, {@code sizeof} and {@code _Alignof}. */
    public StructLayout layout() {
        return layout;
    }

    @Override
    public int size() {
        return layout.size();
    }

    @Override
    public int alignment() {
        return layout.alignment();
    }

    @Override
    public String toString() {
        return "RecordCodec[" + type.getSimpleName() + ", " + layout.size() + " bytes]";
    }
}
