package io.jbpf.maps.internal;

import io.jbpf.maps.codec.Array;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.codec.Codecs;
import io.jbpf.maps.codec.LayoutException;
import io.jbpf.maps.codec.NetworkOrder;
import io.jbpf.maps.codec.Offset;
import io.jbpf.maps.codec.Packed;
import io.jbpf.maps.codec.RecordCodec;
import io.jbpf.maps.codec.Size;
import io.jbpf.maps.codec.StructLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays a record out as clang does a C struct on x86_64 and arm64: fields in declaration order, each
 * at the next multiple of its alignment (or its {@link Offset}), the struct aligned to its widest
 * field and padded at the end to that alignment.
 */
public final class LayoutPlanner {
    private LayoutPlanner() {}

    /** The plan of {@code type}: its fields and its layout. */
    public record Plan(StructLayout layout, List<FieldPlan> fields) {
    }

    public static Plan plan(Class<? extends Record> type) {
        if (!type.isRecord()) {
            throw new LayoutException(type.getName() + " is not a record");
        }
        RecordComponent[] components = type.getRecordComponents();
        if (components.length == 0) {
            throw new LayoutException(type.getName() + " has no components: an empty C struct has no portable layout");
        }
        boolean packed = type.isAnnotationPresent(Packed.class);
        List<FieldPlan> fields = new ArrayList<>();
        List<StructLayout.Field> layoutFields = new ArrayList<>();
        int cur = 0;
        int maxAlign = 1;
        for (RecordComponent c : components) {
            FieldPlan f = field(type, c, packed, cur);
            fields.add(f);
            layoutFields.add(new StructLayout.Field(f.name(), f.offset(), f.slot(), f.alignment()));
            cur = f.offset() + f.slot();
            maxAlign = Math.max(maxAlign, f.alignment());
        }
        int size = alignUp(cur, maxAlign);
        return new Plan(new StructLayout(type.getSimpleName(), size, maxAlign, layoutFields), fields);
    }

    static int alignUp(int v, int a) {
        return (v + a - 1) / a * a;
    }

    private static int integralWidth(Class<?> t) {
        if (t == byte.class) {
            return 1;
        } else if (t == short.class || t == char.class) {
            return 2;
        } else if (t == int.class) {
            return 4;
        } else if (t == long.class) {
            return 8;
        }
        return 0;
    }

    private static FieldPlan field(Class<?> owner, RecordComponent c, boolean packed, int cur) {
        String where = owner.getSimpleName() + "." + c.getName();
        Class<?> t = c.getType();
        Size size = c.getAnnotation(Size.class);
        Array array = c.getAnnotation(Array.class);
        Offset offset = c.getAnnotation(Offset.class);
        boolean be = c.isAnnotationPresent(NetworkOrder.class);
        FieldPlan.Kind kind;
        int width = 0;
        int natural;
        int align;
        int length = 0;
        Codec<?> codec = null;
        if (array != null && !t.isArray()) {
            throw new LayoutException(where + ": @Array on a " + t.getSimpleName() + ", which is not an array");
        }
        if (integralWidth(t) > 0) {
            kind = FieldPlan.Kind.INT;
            width = size == null ? integralWidth(t) : size.value();
            if (width != 1 && width != 2 && width != 4 && width != 8) {
                throw new LayoutException(where + ": @Size(" + width + ") is no C integer width (1, 2, 4 or 8)");
            }
            natural = width;
            align = width;
        } else if (t == boolean.class || t == float.class || t == double.class) {
            kind = t == boolean.class ? FieldPlan.Kind.BOOL : t == float.class ? FieldPlan.Kind.FLOAT : FieldPlan.Kind.DOUBLE;
            width = t == boolean.class ? 1 : t == float.class ? 4 : 8;
            natural = width;
            align = width;
            if (be && t == boolean.class) {
                throw new LayoutException(where + ": @NetworkOrder on a boolean");
            }
        } else if (t.isArray()) {
            kind = FieldPlan.Kind.ARRAY;
            width = integralWidth(t.getComponentType());
            if (width == 0 || t.getComponentType() == char.class) {
                throw new LayoutException(where + ": arrays of " + t.getComponentType().getSimpleName()
                        + " are not supported; use byte[], short[], int[] or long[]");
            }
            if (array == null) {
                throw new LayoutException(where + ": an array component needs @Array(length), as C's fixed arrays have one");
            }
            length = array.value();
            if (length <= 0) {
                throw new LayoutException(where + ": @Array(" + length + ") must be positive");
            }
            natural = width * length;
            align = width;
        } else {
            if (be) {
                throw new LayoutException(where + ": @NetworkOrder applies to integers; " + t.getSimpleName()
                        + " has its own byte order");
            }
            kind = FieldPlan.Kind.CODEC;
            if (t.isRecord()) {
                codec = RecordCodec.of(t.asSubclass(Record.class));
            } else if (t == Inet4Address.class) {
                codec = Codecs.ipv4();
            } else if (t == Inet6Address.class) {
                codec = Codecs.ipv6();
            } else {
                throw new LayoutException(where + ": " + t.getName() + " has no C layout; use a primitive, an @Array "
                        + "primitive array, a record, Inet4Address or Inet6Address");
            }
            natural = codec.size();
            align = codec.alignment();
        }
        int slot = natural;
        if (size != null && kind != FieldPlan.Kind.INT) {
            if (size.value() < natural) {
                throw new LayoutException(where + ": @Size(" + size.value() + ") is smaller than its " + natural + " bytes");
            }
            slot = size.value();
        }
        if (packed) {
            align = 1;
        }
        int at;
        if (offset != null) {
            at = offset.value();
            if (at < cur) {
                throw new LayoutException(where + ": @Offset(" + at + ") overlaps the previous field, which ends at " + cur);
            }
        } else {
            at = alignUp(cur, align);
        }
        return new FieldPlan(c.getName(), t, c.getAccessor(), kind, at, slot, natural, width, align, be, length, codec);
    }
}
