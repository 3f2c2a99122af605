package io.jbpf.core.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a type table back to raw BTF: the inverse of {@link Btf#parse}. Types are written in
 * list order (entry 0, {@code void}, is implicit and skipped); names go into a fresh string table
 * with duplicates shared. Strings that records outside the type table refer to (file names and
 * source lines of line info) are added with {@link #string} before {@link #write(List)}.
 */
public final class BtfWriter {
    private final ByteOrder order;
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> offsets = new HashMap<>();

    private final int stringBase;

    /** A writer of BTF in byte order {@code order}. */
    public BtfWriter(ByteOrder order) {
        this(order, 0);
    }

    private BtfWriter(ByteOrder order, int stringBase) {
        this.order = order;
        this.stringBase = stringBase;
        strings.write(0);
        offsets.put("", 0); // in split BTF too: offset 0 is the base's empty string
    }

    /**
     * Raw split BTF: {@code types} are the split part only (their ids continue from
     * {@code base.types().size()}, references may name base types), names in a string table whose
     * offsets continue after the base's, as the kernel gives module BTF.
     */
    public static byte[] writeSplit(List<BtfType> types, Btf base, ByteOrder order) {
        return new BtfWriter(order, base.stringsEnd()).write(types);
    }

    /** Raw BTF for {@code types} (as {@link Btf#types()} lists them) in byte order {@code order}. */
    public static byte[] write(List<BtfType> types, ByteOrder order) {
        return new BtfWriter(order).write(types);
    }

    /** The offset {@code s} will have in the string table of what {@link #write(List)} writes. */
    public int string(String s) {
        return name(s);
    }

    /** Raw BTF for {@code types} and every string added so far. */
    public byte[] write(List<BtfType> types) {
        return encode(types);
    }

    private int name(String s) {
        return offsets.computeIfAbsent(s, k -> {
            int off = stringBase + strings.size();
            strings.writeBytes(k.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
            return off;
        });
    }

    private byte[] encode(List<BtfType> types) {
        ByteBuffer t = ByteBuffer.allocate(1 << 16).order(order);
        for (BtfType type : types) {
            if (type instanceof BtfType.Void) {
                continue;
            }
            t = ensure(t, 16 + 16 * vlen(type));
            writeType(t, type);
        }
        byte[] s = strings.toByteArray();
        int typeLen = t.position();
        ByteBuffer out = ByteBuffer.allocate(24 + typeLen + s.length).order(order);
        out.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24);
        out.putInt(0).putInt(typeLen).putInt(typeLen).putInt(s.length);
        out.put(t.array(), 0, typeLen).put(s);
        return out.array();
    }

    private static ByteBuffer ensure(ByteBuffer b, int more) {
        if (b.remaining() >= more) {
            return b;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + more)).order(b.order());
        bigger.put(b.array(), 0, b.position());
        return bigger;
    }

    private static int vlen(BtfType t) {
        if (t instanceof BtfType.Struct s) {
            return s.members().size();
        } else if (t instanceof BtfType.Enum e) {
            return e.values().size();
        } else if (t instanceof BtfType.FuncProto p) {
            return p.params().size();
        } else if (t instanceof BtfType.Datasec d) {
            return d.vars().size();
        }
        return 1;
    }

    private static int info(BtfKind kind, int vlen, boolean kflag) {
        return (kflag ? 1 << 31 : 0) | (kind.number() << 24) | (vlen & 0xffff);
    }

    private void writeType(ByteBuffer b, BtfType type) {
        int nameOff = name(type.name());
        if (type instanceof BtfType.Int i) {
            b.putInt(nameOff).putInt(info(BtfKind.INT, 0, false)).putInt(i.size());
            int encoding = (i.signed() ? 1 : 0) | (i.isChar() ? 2 : 0) | (i.isBool() ? 4 : 0);
            b.putInt((encoding << 24) | (i.offset() << 16) | i.bits());
        } else if (type instanceof BtfType.Ptr p) {
            b.putInt(nameOff).putInt(info(BtfKind.PTR, 0, false)).putInt(p.type());
        } else if (type instanceof BtfType.Array a) {
            b.putInt(nameOff).putInt(info(BtfKind.ARRAY, 0, false)).putInt(0);
            b.putInt(a.elementType()).putInt(a.indexType()).putInt(a.count());
        } else if (type instanceof BtfType.Struct s) {
            boolean bitfields = s.members().stream().anyMatch(m -> m.bitfieldSize() != 0);
            b.putInt(nameOff).putInt(info(s.kind(), s.members().size(), bitfields)).putInt(s.size());
            for (BtfType.Member m : s.members()) {
                b.putInt(name(m.name())).putInt(m.type());
                b.putInt(bitfields ? (m.bitfieldSize() << 24) | m.bitOffset() : m.bitOffset());
            }
        } else if (type instanceof BtfType.Enum e) {
            b.putInt(nameOff).putInt(info(e.kind(), e.values().size(), e.signed())).putInt(e.size());
            for (BtfType.Enumerator v : e.values()) {
                b.putInt(name(v.name()));
                if (e.is64()) {
                    b.putInt((int) v.value()).putInt((int) (v.value() >>> 32));
                } else {
                    b.putInt((int) v.value());
                }
            }
        } else if (type instanceof BtfType.Fwd f) {
            b.putInt(nameOff).putInt(info(BtfKind.FWD, 0, f.union())).putInt(0);
        } else if (type instanceof BtfType.Modifier m) {
            b.putInt(nameOff).putInt(info(m.kind(), 0, false)).putInt(m.type());
        } else if (type instanceof BtfType.Func f) {
            b.putInt(nameOff).putInt(info(BtfKind.FUNC, f.linkage(), false)).putInt(f.type());
        } else if (type instanceof BtfType.FuncProto p) {
            b.putInt(nameOff).putInt(info(BtfKind.FUNC_PROTO, p.params().size(), false)).putInt(p.returnType());
            for (BtfType.Param x : p.params()) {
                b.putInt(name(x.name())).putInt(x.type());
            }
        } else if (type instanceof BtfType.Var v) {
            b.putInt(nameOff).putInt(info(BtfKind.VAR, 0, false)).putInt(v.type()).putInt(v.linkage());
        } else if (type instanceof BtfType.Datasec d) {
            b.putInt(nameOff).putInt(info(BtfKind.DATASEC, d.vars().size(), false)).putInt(d.size());
            for (BtfType.VarSecInfo v : d.vars()) {
                b.putInt(v.type()).putInt(v.offset()).putInt(v.size());
            }
        } else if (type instanceof BtfType.Float f) {
            b.putInt(nameOff).putInt(info(BtfKind.FLOAT, 0, false)).putInt(f.size());
        } else if (type instanceof BtfType.DeclTag d) {
            b.putInt(nameOff).putInt(info(BtfKind.DECL_TAG, 0, false)).putInt(d.type()).putInt(d.componentIndex());
        } else {
            throw new BtfException("cannot write " + Btf.describe(type));
        }
    }
}
