package io.jbpf.core.btf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Reads one BTF type record after another from the type section. */
final class TypeReader {
    private final ByteBuffer b;
    private int at;
    private final int end;
    private final Btf.Strings strings;

    TypeReader(ByteBuffer b, int start, int end, Btf.Strings strings) {
        this.b = b;
        this.at = start;
        this.end = end;
        this.strings = strings;
    }

    boolean hasMore() {
        return at < end;
    }

    private void need(int bytes, int id, String what) {
        if (at + (long) bytes > end) {
            throw new BtfException("BTF type " + id + " (" + what + ") is truncated at offset " + at);
        }
    }

    private int u32() {
        int v = b.getInt(at);
        at += 4;
        return v;
    }

    BtfType next(int id) {
        need(12, id, "header");
        long nameOff = u32() & 0xffffffffL;
        int info = u32();
        int sizeOrType = u32();
        int vlen = info & 0xffff;
        BtfKind kind = BtfKind.of((info >>> 24) & 0x1f);
        boolean kflag = (info >>> 31) != 0;
        if (kind == null || kind == BtfKind.VOID) {
            throw new BtfException("BTF type " + id + " has unknown kind " + ((info >>> 24) & 0x1f));
        }
        String name = strings.at(nameOff, "BTF type " + id + " (" + kind + ")");
        return switch (kind) {
            case INT -> {
                need(4, id, "INT");
                int enc = u32();
                int encoding = (enc >>> 24) & 0xf;
                yield new BtfType.Int(id, name, sizeOrType, (encoding & 1) != 0, (encoding & 2) != 0, (encoding & 4) != 0,
                        (enc >>> 16) & 0xff, enc & 0xff);
            }
            case PTR -> new BtfType.Ptr(id, name, sizeOrType);
            case ARRAY -> {
                need(12, id, "ARRAY");
                yield new BtfType.Array(id, name, u32(), u32(), u32());
            }
            case STRUCT, UNION -> {
                need(vlen * 12, id, kind + " '" + name + "' members");
                List<BtfType.Member> members = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    String member = strings.at(u32() & 0xffffffffL, kind + " '" + name + "' member " + i);
                    int type = u32();
                    int offset = u32();
                    members.add(kflag ? new BtfType.Member(member, type, offset & 0xffffff, offset >>> 24)
                            : new BtfType.Member(member, type, offset, 0));
                }
                yield new BtfType.Struct(id, name, kind == BtfKind.UNION, sizeOrType, List.copyOf(members));
            }
            case ENUM, ENUM64 -> {
                boolean wide = kind == BtfKind.ENUM64;
                need(vlen * (wide ? 12 : 8), id, kind + " '" + name + "' values");
                List<BtfType.Enumerator> values = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    String v = strings.at(u32() & 0xffffffffL, kind + " '" + name + "' value " + i);
                    long value = wide ? (u32() & 0xffffffffL) | ((long) u32() << 32)
                            : kflag ? u32() : u32() & 0xffffffffL;
                    values.add(new BtfType.Enumerator(v, value));
                }
                yield new BtfType.Enum(id, name, wide, sizeOrType, kflag, List.copyOf(values));
            }
            case FWD -> new BtfType.Fwd(id, name, kflag);
            case TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG -> new BtfType.Modifier(id, name, kind, sizeOrType);
            case FUNC -> new BtfType.Func(id, name, vlen, sizeOrType);
            case FUNC_PROTO -> {
                need(vlen * 8, id, "FUNC_PROTO parameters");
                List<BtfType.Param> params = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    params.add(new BtfType.Param(strings.at(u32() & 0xffffffffL, "FUNC_PROTO " + id + " parameter " + i),
                            u32()));
                }
                yield new BtfType.FuncProto(id, name, sizeOrType, List.copyOf(params));
            }
            case VAR -> {
                need(4, id, "VAR");
                yield new BtfType.Var(id, name, sizeOrType, u32());
            }
            case DATASEC -> {
                need(vlen * 12, id, "DATASEC '" + name + "' variables");
                List<BtfType.VarSecInfo> vars = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++) {
                    vars.add(new BtfType.VarSecInfo(u32(), u32(), u32()));
                }
                yield new BtfType.Datasec(id, name, sizeOrType, List.copyOf(vars));
            }
            case FLOAT -> new BtfType.Float(id, name, sizeOrType);
            case DECL_TAG -> {
                need(4, id, "DECL_TAG");
                yield new BtfType.DeclTag(id, name, sizeOrType, u32());
            }
            case VOID -> throw new IllegalStateException("unreachable");
        };
    }
}
