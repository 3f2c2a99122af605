package io.jbpf.maps.internal;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.MapMismatchException;
import java.util.Arrays;
import java.util.function.Function;

/** Checks that a map fits a typed view, and opens kernel maps without leaking them on a mismatch. */
public final class Binding {
    private Binding() {}

    /**
     * Throws unless {@code spec} is one of {@code types} with keys of {@code keySize} and values of
     * {@code valueSize} bytes (-1: any).
     */
    public static void check(MapSpec spec, String view, int keySize, int valueSize, MapType... types) {
        if (Arrays.stream(types).noneMatch(t -> t == spec.type())) {
            throw new MapMismatchException("map '" + spec.name() + "' is a " + spec.type() + ", not a "
                    + (types.length == 1 ? types[0] : Arrays.toString(types)) + " as " + view + " needs");
        }
        if (keySize >= 0 && spec.keySize() != keySize) {
            throw new MapMismatchException("map '" + spec.name() + "' has " + spec.keySize()
                    + "-byte keys, but the key codec encodes " + keySize + " bytes");
        }
        if (valueSize >= 0 && spec.valueSize() != valueSize) {
            throw new MapMismatchException("map '" + spec.name() + "' has " + spec.valueSize()
                    + "-byte values, but the value codec encodes " + valueSize + " bytes");
        }
    }

    /** Creates the map after checking its spec. */
    public static KernelMap create(MapSpec spec, String view, int keySize, int valueSize, MapType... types) {
        check(spec, view, keySize, valueSize, types);
        return KernelMap.create(spec);
    }

    /** Wraps {@code map} with {@code wrap}; closes the map if checking or wrapping fails. */
    public static <T> T adopt(KernelMap map, Function<KernelMap, T> wrap) {
        try {
            return wrap.apply(map);
        } catch (RuntimeException | Error e) {
            map.close();
            throw e;
        }
    }

    /** The kernel map behind {@code raw}, or an exception naming {@code op}. */
    public static KernelMap kernel(RawMap raw, String op) {
        if (raw instanceof KernelMap k) {
            return k;
        }
        throw new UnsupportedOperationException(op + " needs a kernel map, not " + raw.getClass().getSimpleName());
    }
}
