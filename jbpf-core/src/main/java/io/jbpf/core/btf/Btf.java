package io.jbpf.core.btf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parsed BTF (the {@code .BTF} section of an object, a map's or program's BTF, or the kernel's
 * {@code /sys/kernel/btf/vmlinux}): the type table, with lookups by id and name, and sizes.
 * Parsing only, no syscalls. Every id and string offset is checked when parsing, and following
 * references detects loops, so bad BTF throws {@link BtfException} naming the type. Immutable and
 * safe to share between threads.
 */
public final class Btf {
    private static final int MAGIC = 0xeb9f;
    private static final int HEADER = 24;

    private final ByteOrder order;
    private final List<BtfType> types;
    private final Strings strings;
    private final Btf base;
    private volatile Map<String, List<Integer>> byName;

    private Btf(ByteOrder order, List<BtfType> types, Strings strings, Btf base) {
        this.order = order;
        this.types = types;
        this.strings = strings;
        this.base = base;
    }

    /** The running kernel's BTF, or empty when it has none. Parses about 100k types: cache the result. */
    public static Optional<Btf> kernel() {
        Path vmlinux = Path.of("/sys/kernel/btf/vmlinux");
        if (!Files.isReadable(vmlinux)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(Files.readAllBytes(vmlinux)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + vmlinux, e);
        }
    }

    /** Parses raw BTF of either byte order. */
    public static Btf parse(byte[] raw) {
        return parse(raw, null);
    }

    /**
     * Parses split BTF on top of {@code base}, as the kernel gives it for modules
     * ({@code /sys/kernel/btf/MODULE} on top of {@code vmlinux}): its type ids continue after the
     * base's and its string offsets after the base's string table. The result holds the base's
     * types too ({@link #types()} from id 0), so ids from either part resolve through it.
     */
    public static Btf parseSplit(byte[] raw, Btf base) {
        return parse(raw, java.util.Objects.requireNonNull(base, "base"));
    }

    private static Btf parse(byte[] raw, Btf base) {
        if (raw.length < HEADER) {
            throw new BtfException("BTF is " + raw.length + " bytes, shorter than its header");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if ((b.getShort(0) & 0xffff) != MAGIC) {
            b.order(ByteOrder.BIG_ENDIAN);
            if ((b.getShort(0) & 0xffff) != MAGIC) {
                throw new BtfException("not BTF: bad magic");
            }
        }
        long hdrLen = b.getInt(4) & 0xffffffffL;
        long typeOff = hdrLen + (b.getInt(8) & 0xffffffffL);
        long typeLen = b.getInt(12) & 0xffffffffL;
        long strOff = hdrLen + (b.getInt(16) & 0xffffffffL);
        long strLen = b.getInt(20) & 0xffffffffL;
        if (hdrLen < HEADER || typeOff + typeLen > raw.length || strOff + strLen > raw.length) {
            throw new BtfException("BTF sections run past the end of the data (header " + hdrLen + ", types " + typeOff
                    + "+" + typeLen + ", strings " + strOff + "+" + strLen + ", " + raw.length + " bytes)");
        }
        if (base != null && b.order() != base.order) {
            throw new BtfException("split BTF is " + b.order() + ", its base " + base.order);
        }
        Strings strings = new Strings(raw, (int) strOff, (int) strLen, base == null ? null : base.strings);
        List<BtfType> types = new ArrayList<>();
        if (base == null) {
            types.add(new BtfType.Void());
        } else {
            types.addAll(base.types);
        }
        TypeReader reader = new TypeReader(b, (int) typeOff, (int) (typeOff + typeLen), strings);
        while (reader.hasMore()) {
            types.add(reader.next(types.size()));
        }
        Btf btf = new Btf(b.order(), Collections.unmodifiableList(types), strings, base);
        btf.checkReferences(base == null ? 0 : base.types.size());
        return btf;
    }

    private void checkReferences(int from) {
        for (BtfType t : types.subList(from, types.size())) {
            for (int ref : references(t)) {
                if (ref < 0 || ref >= types.size()) {
                    throw new BtfException(describe(t) + " refers to type " + (ref & 0xffffffffL) + ", out of range ("
                            + types.size() + " types)");
                }
            }
            if (t instanceof BtfType.Func f && !(types.get(f.type()) instanceof BtfType.FuncProto)) {
                throw new BtfException(describe(t) + " has type " + f.type() + ", which is no function prototype");
            }
        }
    }

    private static List<Integer> references(BtfType t) {
        List<Integer> refs = new ArrayList<>();
        if (t instanceof BtfType.Ptr p) {
            refs.add(p.type());
        } else if (t instanceof BtfType.Array a) {
            refs.add(a.elementType());
            refs.add(a.indexType());
        } else if (t instanceof BtfType.Struct s) {
            s.members().forEach(m -> refs.add(m.type()));
        } else if (t instanceof BtfType.Modifier m) {
            refs.add(m.type());
        } else if (t instanceof BtfType.Func f) {
            refs.add(f.type());
        } else if (t instanceof BtfType.FuncProto p) {
            refs.add(p.returnType());
            p.params().forEach(x -> refs.add(x.type()));
        } else if (t instanceof BtfType.Var v) {
            refs.add(v.type());
        } else if (t instanceof BtfType.Datasec d) {
            d.vars().forEach(v -> refs.add(v.type()));
        } else if (t instanceof BtfType.DeclTag d) {
            refs.add(d.type());
        }
        return refs;
    }

    /** The string at {@code offset} of the string table (what .BTF.ext records refer to). */
    public String string(long offset) {
        return strings.at(offset, "BTF string");
    }

    /** For split BTF (a module's), the BTF it extends. */
    public Optional<Btf> base() {
        return Optional.ofNullable(base);
    }

    /** The first id of this BTF's own types: 1, or for split BTF the number of types of its base. */
    public int firstOwnId() {
        return base == null ? 1 : base.types.size();
    }

    /** The length of the string table including a base's; split BTF's string offsets start here. */
    int stringsEnd() {
        return strings.end();
    }

    /** The byte order the BTF was written in. */
    public ByteOrder order() {
        return order;
    }

    /** Every type, indexed by id (entry 0 is {@code void}). */
    public List<BtfType> types() {
        return types;
    }

    /** The type with {@code id}. */
    public BtfType type(int id) {
        if (id < 0 || id >= types.size()) {
            throw new BtfException("no BTF type " + (id & 0xffffffffL) + " (" + types.size() + " types)");
        }
        return types.get(id);
    }

    /** The type {@code id} names after skipping typedefs and qualifiers (const, volatile, restrict, type tags). */
    public BtfType resolve(int id) {
        BtfType t = type(id);
        for (int steps = 0; t instanceof BtfType.Modifier m; steps++) {
            if (steps > types.size()) {
                throw new BtfException("BTF type " + id + " is part of a reference loop");
            }
            t = type(m.type());
        }
        return t;
    }

    /** The first type of {@code kind} called {@code name}. */
    public Optional<BtfType> find(BtfKind kind, String name) {
        for (int id : index().getOrDefault(name, List.of())) {
            if (types.get(id).kind() == kind) {
                return Optional.of(types.get(id));
            }
        }
        return Optional.empty();
    }

    /** The enumerators of the enum (or enum64) {@code name}, in order; empty when there is none. */
    public Map<String, Long> enumValues(String name) {
        Optional<BtfType> e = find(BtfKind.ENUM, name).or(() -> find(BtfKind.ENUM64, name));
        Map<String, Long> values = new LinkedHashMap<>();
        e.ifPresent(t -> ((BtfType.Enum) t).values().forEach(v -> values.put(v.name(), v.value())));
        return values;
    }

    private Map<String, List<Integer>> index() {
        Map<String, List<Integer>> m = byName;
        if (m == null) {
            m = new HashMap<>();
            for (BtfType t : types) {
                if (!t.name().isEmpty()) {
                    m.computeIfAbsent(t.name(), k -> new ArrayList<>(1)).add(t.id());
                }
            }
            byName = m;
        }
        return m;
    }

    /** The size in bytes of a value of type {@code id}. */
    public long sizeOf(int id) {
        return sizeOf(id, 0);
    }

    private long sizeOf(int id, int depth) {
        if (depth > 64) {
            throw new BtfException("BTF type " + id + " nests more than 64 levels deep (a loop?)");
        }
        BtfType t = resolve(id);
        if (t instanceof BtfType.Int i) {
            return i.size();
        } else if (t instanceof BtfType.Ptr) {
            return 8;
        } else if (t instanceof BtfType.Array a) {
            return a.count() * sizeOf(a.elementType(), depth + 1);
        } else if (t instanceof BtfType.Struct s) {
            return s.size();
        } else if (t instanceof BtfType.Enum e) {
            return e.size();
        } else if (t instanceof BtfType.Float f) {
            return f.size();
        } else if (t instanceof BtfType.Datasec d) {
            return d.size();
        } else if (t instanceof BtfType.Var v) {
            return sizeOf(v.type(), depth + 1);
        }
        throw new BtfException(describe(t) + " has no size");
    }

    /** A short description for messages: {@code STRUCT 'xdp_md' (id 42)}. */
    public static String describe(BtfType t) {
        return t.kind() + (t.name().isEmpty() ? " (anon)" : " '" + t.name() + "'") + " (id " + t.id() + ")";
    }

    /** The string table, read with bounds checks. */
    static final class Strings {
        private final byte[] raw;
        private final int start;
        private final int length;
        private final Strings base;

        Strings(byte[] raw, int start, int length, Strings base) {
            this.raw = raw;
            this.start = start;
            this.length = length;
            this.base = base;
        }

        /** Offsets of this table start at the end of the base's. */
        int end() {
            return (base == null ? 0 : base.end()) + length;
        }

        String at(long offset, String what) {
            if (base != null) {
                int baseEnd = base.end();
                if (offset < baseEnd) {
                    return base.at(offset, what);
                }
                offset -= baseEnd;
            }
            if (offset < 0 || offset >= length) {
                if (offset == 0) {
                    return "";
                }
                throw new BtfException(what + ": name offset " + offset + " is outside the " + length + "-byte string table");
            }
            int s = start + (int) offset;
            int e = s;
            while (e < start + length && raw[e] != 0) {
                e++;
            }
            if (e == start + length) {
                throw new BtfException(what + ": the name at offset " + offset + " is not terminated");
            }
            return new String(raw, s, e - s, StandardCharsets.UTF_8);
        }
    }
}
