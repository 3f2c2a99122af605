package io.jbpf.maps.codec;

import java.util.List;

/**
 * Where a record's fields sit in its C struct.
 *
 * @param name      the record's simple name
 * @param size      {@code sizeof}, including trailing padding
 * @param alignment {@code _Alignof}
 * @param fields    the fields in declaration order
 */
public record StructLayout(String name, int size, int alignment, List<Field> fields) {

    public StructLayout {
        fields = List.copyOf(fields);
    }

    /**
     * One field.
     *
     * @param name      the record component's name
     * @param offset    {@code offsetof}
     * @param size      the bytes it occupies
     * @param alignment its alignment
     */
    public record Field(String name, int offset, int size, int alignment) {
    }

    /** The field called {@code name}. */
    public Field field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " has no field '" + fieldName + "'"));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("struct ").append(name).append(" { /* size ").append(size)
                .append(", align ").append(alignment).append(" */\n");
        for (Field f : fields) {
            b.append("  ").append(f.name()).append(" @").append(f.offset()).append(" [").append(f.size()).append("]\n");
        }
        return b.append('}').toString();
    }
}
