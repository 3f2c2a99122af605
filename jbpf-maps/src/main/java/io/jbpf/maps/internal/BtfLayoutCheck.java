package io.jbpf.maps.internal;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfType;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapInfo;
import io.jbpf.maps.MapMismatchException;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.codec.RecordCodec;
import io.jbpf.maps.codec.StructLayout;
import java.util.List;

/**
 * Checks record codecs against the BTF a kernel map was created with: the size of the key and
 * value types, and for structs each member's offset and size, in declaration order (names may
 * differ between C and Java and are only reported). The value of a per-CPU map is checked per
 * CPU: its BTF value type describes one CPU's value, which {@link PerCpuCodec#element()} encodes.
 * Maps without BTF, and codecs that are not record codecs, are not checked.
 */
public final class BtfLayoutCheck {
    private BtfLayoutCheck() {}

    /** Throws {@link MapMismatchException} naming the first field whose layout differs. */
    public static void check(KernelMap map, Codec<?> keys, Codec<?> values) {
        if (values instanceof PerCpuCodec<?> perCpu) {
            values = perCpu.element();
        }
        MapInfo info = map.createdInfo();
        boolean keyRecord = keys instanceof RecordCodec<?> && info.btfKeyTypeId() != 0;
        boolean valueRecord = values instanceof RecordCodec<?> && info.btfValueTypeId() != 0;
        if (info.btfId() == 0 || (!keyRecord && !valueRecord)) {
            return;
        }
        Btf btf = map.btf().orElseThrow();
        if (keyRecord) {
            compare(map, "key", ((RecordCodec<?>) keys).layout(), btf, info.btfKeyTypeId());
        }
        if (valueRecord) {
            compare(map, "value", ((RecordCodec<?>) values).layout(), btf, info.btfValueTypeId());
        }
    }

    static void compare(KernelMap map, String what, StructLayout layout, Btf btf, int typeId) {
        BtfType type = btf.resolve(typeId);
        String prefix = "map '" + map.spec().name() + "': the " + what + " record " + layout.name();
        long size = btf.sizeOf(typeId);
        if (size != layout.size()) {
            throw new MapMismatchException(prefix + " is " + layout.size() + " bytes, but the map's BTF "
                    + Btf.describe(type) + " is " + size + " bytes");
        }
        if (!(type instanceof BtfType.Struct struct)) {
            return;
        }
        List<BtfType.Member> members = struct.members();
        List<StructLayout.Field> fields = layout.fields();
        if (members.size() != fields.size()) {
            throw new MapMismatchException(prefix + " has " + fields.size() + " fields, but the map's BTF "
                    + Btf.describe(type) + " has " + members.size() + " members: "
                    + members.stream().map(BtfType.Member::name).toList());
        }
        for (int i = 0; i < members.size(); i++) {
            BtfType.Member m = members.get(i);
            StructLayout.Field f = fields.get(i);
            int offset = m.bitOffset() / 8;
            long memberSize = m.bitfieldSize() != 0 ? f.size() : btf.sizeOf(m.type());
            if (f.offset() != offset || f.size() != memberSize) {
                throw new MapMismatchException(prefix + " field '" + f.name() + "' is at offset " + f.offset()
                        + " with " + f.size() + " bytes, but member '" + m.name() + "' of " + Btf.describe(type)
                        + " is at offset " + offset + " with " + memberSize + " bytes");
            }
        }
    }
}
