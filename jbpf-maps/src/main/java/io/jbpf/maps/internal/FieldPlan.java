package io.jbpf.maps.internal;

import io.jbpf.maps.codec.Codec;
import java.lang.reflect.Method;

/**
 * How one record component is stored: its kind, where, and how wide.
 *
 * @param name      component name (for messages and the layout)
 * @param type      the component's Java type
 * @param accessor  the record's accessor method
 * @param kind      how it is encoded
 * @param offset    byte offset in the struct
 * @param slot      bytes the field occupies (including any {@code @Size} padding)
 * @param covered   bytes the encoding writes (the rest of the slot is zeroed)
 * @param width     integer width; for arrays the element width
 * @param alignment the field's alignment
 * @param bigEndian network order
 * @param length    array length, else 0
 * @param codec     for {@link Kind#CODEC}: the nested codec, else null
 */
public record FieldPlan(String name, Class<?> type, Method accessor, Kind kind, int offset, int slot, int covered,
        int width, int alignment, boolean bigEndian, int length, Codec<?> codec) {

    /** How a field is encoded. */
    public enum Kind { INT, BOOL, FLOAT, DOUBLE, ARRAY, CODEC }
}
