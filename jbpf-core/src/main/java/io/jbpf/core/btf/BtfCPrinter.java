package io.jbpf.core.btf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints BTF as C declarations that compile, as {@code bpftool btf dump ... format c} does (the
 * way {@code vmlinux.h} is made): every named struct, union, enum and typedef, each after the
 * types it holds by value, with {@code struct X;} forward declarations for types only pointed to
 * before their definition. Layouts are kept: explicit padding ({@code long: 64;}) where the C
 * compiler's natural layout would place a member earlier than BTF says, and
 * {@code __attribute__((packed))} where no natural layout fits. Types of the same name that
 * differ get {@code ___2}, {@code ___3} suffixes in the order they are printed; so do enumerators
 * of the same name. Functions, variables, data sections and declaration tags print nothing.
 * Pure computation over a parsed {@link Btf}, no syscalls.
 */
public final class BtfCPrinter {
    private enum State { NONE, VISITING, DONE }

    private final Btf btf;
    private final Appendable out;
    private final State[] state;
    private final boolean[] declared;
    private final boolean[] printed;
    private final String[] names;
    private final Map<String, Integer> tagCounts = new HashMap<>();
    private final Map<String, Integer> identCounts = new HashMap<>();
    private final Map<Long, String> enumeratorNames = new HashMap<>();
    private final Map<Integer, Integer> alignments = new HashMap<>();
    private final Map<Integer, Boolean> packed = new HashMap<>();
    private final boolean[] referenced;

    private BtfCPrinter(Btf btf, Appendable out) {
        this.btf = btf;
        this.out = out;
        int n = btf.types().size();
        this.state = new State[n];
        java.util.Arrays.fill(state, State.NONE);
        this.declared = new boolean[n];
        this.printed = new boolean[n];
        this.names = new String[n];
        this.referenced = new boolean[n];
        for (BtfType t : btf.types()) {
            for (int ref : refs(t)) {
                if (ref > 0 && ref < n && ref != t.id()) {
                    referenced[ref] = true;
                }
            }
        }
    }

    /** The types of {@code btf} as C, without a header guard. */
    public static String print(Btf btf) {
        StringBuilder b = new StringBuilder();
        print(btf, b);
        return b.toString();
    }

    /** Appends the types of {@code btf} as C to {@code out}, without a header guard. */
    public static void print(Btf btf, Appendable out) {
        new BtfCPrinter(btf, out).printAll();
    }

    /**
     * The types of {@code btf} as a header like bpftool's {@code vmlinux.h}: a guard named
     * {@code guard}, and every struct and union marked {@code preserve_access_index} for CO-RE
     * unless the includer defines {@code BPF_NO_PRESERVE_ACCESS_INDEX}.
     */
    public static void printHeader(Btf btf, String guard, Appendable out) {
        try {
            out.append("#ifndef ").append(guard).append("\n#define ").append(guard).append("\n\n");
            out.append("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n");
            out.append("#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n");
            out.append("#endif\n\n");
            print(btf, out);
            out.append("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n");
            out.append("#endif /* ").append(guard).append(" */\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void emit(String s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void printAll() {
        for (BtfType t : btf.types()) {
            if (t instanceof BtfType.Struct s && !s.name().isEmpty()) {
                define(t.id());
            } else if (t instanceof BtfType.Enum e) {
                if (!e.name().isEmpty()) {
                    define(t.id());
                } else if (!referenced[t.id()]) {
                    // enums of constants: nothing uses the type, only its enumerators
                    emit(enumDefinition(e, 0) + ";\n\n");
                }
            } else if (t instanceof BtfType.Modifier m && m.kind() == BtfKind.TYPEDEF && !builtin(m)) {
                needDefined(t.id(), 0);
            } else if (t instanceof BtfType.Fwd f && !declared[f.id()]) {
                declared[f.id()] = true;
                emit(tag(f.id()) + ";\n\n");
            }
        }
    }

    /** Typedefs the C compiler has built in ({@code __builtin_va_list}): used by name, never printed. */
    private static boolean builtin(BtfType t) {
        return t instanceof BtfType.Modifier m && m.kind() == BtfKind.TYPEDEF && m.name().equals("__builtin_va_list");
    }

    // ---- ordering: what must be defined before a type can be printed ----

    /** Makes type {@code id} usable by value: named aggregates, enums and typedefs defined before. */
    private void needDefined(int id, int depth) {
        checkDepth(id, depth);
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Struct s) {
            if (s.name().isEmpty()) {
                s.members().forEach(m -> needDefined(m.type(), depth + 1));
            } else {
                define(id);
            }
        } else if (t instanceof BtfType.Enum e) {
            if (!e.name().isEmpty()) {
                define(id);
            }
        } else if (t instanceof BtfType.Modifier m) {
            // a typedef used by value: what it names is defined first, as bpftool orders them
            needDefined(m.type(), depth + 1);
            if (m.kind() == BtfKind.TYPEDEF) {
                define(id);
            }
        } else if (t instanceof BtfType.Array a) {
            needDefined(a.elementType(), depth + 1);
        } else if (t instanceof BtfType.Ptr p) {
            needDeclared(p.type(), depth + 1);
        } else if (t instanceof BtfType.FuncProto p) {
            needDeclared(p.returnType(), depth + 1);
            p.params().forEach(x -> needDeclared(x.type(), depth + 1));
        }
    }

    /** Makes type {@code id} usable through a pointer: named structs and unions need only a forward declaration. */
    private void needDeclared(int id, int depth) {
        checkDepth(id, depth);
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Struct s) {
            if (s.name().isEmpty()) {
                s.members().forEach(m -> needDefined(m.type(), depth + 1));
            }
        } else if (t instanceof BtfType.Enum e) {
            if (!e.name().isEmpty()) {
                define(id);
            }
        } else if (t instanceof BtfType.Modifier m) {
            // named structs and typedefs only pointed to are declared when the type using them is printed
            if (m.kind() != BtfKind.TYPEDEF) {
                needDeclared(m.type(), depth + 1);
            }
        } else if (t instanceof BtfType.Array a) {
            needDefined(a.elementType(), depth + 1); // no arrays of incomplete types
        } else if (t instanceof BtfType.Ptr p) {
            needDeclared(p.type(), depth + 1);
        } else if (t instanceof BtfType.FuncProto p) {
            needDeclared(p.returnType(), depth + 1);
            p.params().forEach(x -> needDeclared(x.type(), depth + 1));
        }
    }

    private void checkDepth(int id, int depth) {
        if (depth > btf.types().size() || depth > 10_000) {
            throw new BtfException("BTF type " + id + " is part of a reference loop");
        }
    }

    /** Prints the definition of named struct, union, enum or typedef {@code id}, after what it needs. */
    private void define(int id) {
        if (state[id] == State.DONE || builtin(btf.type(id))) {
            return;
        }
        BtfType t = btf.type(id);
        if (state[id] == State.VISITING) {
            throw new BtfException(Btf.describe(t) + " contains itself by value");
        }
        state[id] = State.VISITING;
        if (t instanceof BtfType.Struct s) {
            s.members().forEach(m -> needDefined(m.type(), 1));
        } else if (t instanceof BtfType.Modifier m) {
            needDeclared(m.type(), 1);
        }
        state[id] = State.DONE;
        forwardDeclarations(id, id, 0);
        printed[id] = true;
        if (t instanceof BtfType.Struct s) {
            emit(structDefinition(s, 0) + ";\n\n");
        } else if (t instanceof BtfType.Enum e) {
            emit(enumDefinition(e, 0) + ";\n\n");
        } else if (t instanceof BtfType.Modifier m) {
            emit("typedef " + declaration(m.type(), ident(id), 0) + ";\n\n");
        }
    }

    /**
     * Before {@code top} is printed, in the order its text mentions them: {@code struct X;} for
     * every named struct or union not printed yet, and the typedefs it only points to.
     */
    private void forwardDeclarations(int top, int id, int depth) {
        checkDepth(id, depth);
        BtfType t = btf.type(id);
        if ((t instanceof BtfType.Struct s && !s.name().isEmpty()) || t instanceof BtfType.Fwd) {
            if (id != top && depth > 0 && !printed[id] && !declared[id]) {
                declared[id] = true;
                emit(tag(id) + ";\n\n");
            }
            if (id != top || depth > 0) {
                return;
            }
        }
        if (depth > 0 && t instanceof BtfType.Modifier m && m.kind() == BtfKind.TYPEDEF) {
            define(id); // a typedef only pointed to so far: printed here, in member order
            return;
        }
        for (int ref : refs(t)) {
            forwardDeclarations(top, ref, depth + 1);
        }
    }

    /** The types {@code t} mentions in its C text. */
    private static List<Integer> refs(BtfType t) {
        List<Integer> refs = new ArrayList<>();
        if (t instanceof BtfType.Struct s) {
            s.members().forEach(m -> refs.add(m.type()));
        } else if (t instanceof BtfType.Modifier m) {
            refs.add(m.type());
        } else if (t instanceof BtfType.Ptr p) {
            refs.add(p.type());
        } else if (t instanceof BtfType.Array a) {
            refs.add(a.elementType());
        } else if (t instanceof BtfType.FuncProto p) {
            refs.add(p.returnType());
            p.params().forEach(x -> refs.add(x.type()));
        }
        return refs;
    }

    // ---- names ----

    /** {@code struct X}, {@code union X}, {@code enum X} with X unique among tags. */
    private String tag(int id) {
        BtfType t = btf.type(id);
        String keyword = t instanceof BtfType.Enum ? "enum"
                : (t instanceof BtfType.Struct s && s.union()) || (t instanceof BtfType.Fwd f && f.union()) ? "union"
                : "struct";
        return keyword + " " + unique(id, tagCounts);
    }

    private String ident(int id) {
        return builtin(btf.type(id)) ? btf.type(id).name() : unique(id, identCounts);
    }

    private String unique(int id, Map<String, Integer> counts) {
        String n = names[id];
        if (n == null) {
            String base = btf.type(id).name();
            int count = counts.merge(base, 1, Integer::sum);
            n = count == 1 ? base : base + "___" + count;
            names[id] = n;
        }
        return n;
    }

    private String enumerator(BtfType.Enum e, int index) {
        return enumeratorNames.computeIfAbsent(((long) e.id() << 20) | index, k -> {
            String base = e.values().get(index).name();
            int count = identCounts.merge(base, 1, Integer::sum);
            return count == 1 ? base : base + "___" + count;
        });
    }

    // ---- declarations ----

    /** {@code TYPE NAME} in C declarator syntax ({@code int (*name)[4]}, {@code void (*name)(int)}). */
    private String declaration(int id, String declarator, int level) {
        String d = declarator;
        java.util.LinkedHashSet<String> quals = new java.util.LinkedHashSet<>();
        for (int steps = 0; ; steps++) {
            checkDepth(id, steps);
            BtfType t = btf.type(id);
            if (t instanceof BtfType.Ptr p) {
                // qualifiers met before a pointer qualify the pointer: int *const p
                d = "*" + (quals.isEmpty() ? "" : " " + String.join(" ", quals) + (d.isEmpty() ? "" : " "))
                        + (d.startsWith("(") ? " " : "") + d;
                quals.clear();
                id = p.type();
            } else if (t instanceof BtfType.Array a) {
                // qualifiers of an array qualify its elements (C has no qualified arrays)
                d = (d.startsWith("*") ? "(" + d + ")" : d) + "[" + Integer.toUnsignedString(a.count()) + "]";
                id = a.elementType();
            } else if (t instanceof BtfType.FuncProto p) {
                d = (d.startsWith("*") ? "(" + d + ")" : d) + "(" + params(p, level) + ")";
                quals.clear();
                id = p.returnType();
            } else if (t instanceof BtfType.Modifier m && m.kind() != BtfKind.TYPEDEF) {
                if (m.kind() != BtfKind.TYPE_TAG) {
                    quals.add(m.kind() == BtfKind.CONST ? "const" : m.kind() == BtfKind.VOLATILE ? "volatile" : "restrict");
                }
                id = m.type();
            } else {
                String base = base(t, level);
                String q = quals.isEmpty() ? "" : String.join(" ", quals) + " ";
                return q + (d.isEmpty() ? base : base + " " + d);
            }
        }
    }

    private String params(BtfType.FuncProto p, int level) {
        if (p.params().isEmpty()) {
            return "void";
        }
        List<String> out = new ArrayList<>();
        for (BtfType.Param x : p.params()) {
            out.add(x.type() == 0 && x.name().isEmpty() ? "..." : declaration(x.type(), "", level));
        }
        return String.join(", ", out);
    }

    /** The type specifier: a name, or the inline definition of an anonymous struct, union or enum. */
    private String base(BtfType t, int level) {
        if (t instanceof BtfType.Void) {
            return "void";
        } else if (t instanceof BtfType.Int || t instanceof BtfType.Float) {
            return t.name();
        } else if (t instanceof BtfType.Struct s) {
            return s.name().isEmpty() ? structDefinition(s, level) : tag(s.id());
        } else if (t instanceof BtfType.Enum e) {
            return e.name().isEmpty() ? enumDefinition(e, level) : tag(e.id());
        } else if (t instanceof BtfType.Fwd f) {
            return tag(f.id());
        } else if (t instanceof BtfType.Modifier m && m.kind() == BtfKind.TYPEDEF) {
            return ident(m.id());
        }
        throw new BtfException(Btf.describe(t) + " cannot be used as a C type");
    }

    private static String indent(int level) {
        return "\t".repeat(level);
    }

    private String enumDefinition(BtfType.Enum e, int level) {
        StringBuilder b = new StringBuilder(e.name().isEmpty() ? "enum" : tag(e.id()));
        if (e.values().isEmpty()) {
            return b.toString();
        }
        b.append(" {\n");
        for (int i = 0; i < e.values().size(); i++) {
            long v = e.values().get(i).value();
            String value = e.is64() ? (e.signed() ? v + "LL" : Long.toUnsignedString(v) + "ULL")
                    : e.signed() ? String.valueOf((int) v) : String.valueOf(v & 0xffffffffL);
            b.append(indent(level + 1)).append(enumerator(e, i)).append(" = ").append(value).append(",\n");
        }
        b.append(indent(level)).append("}");
        if (e.size() == 1 || e.size() == 2) {
            b.append(" __attribute__((packed))");
        }
        return b.toString();
    }

    private String structDefinition(BtfType.Struct s, int level) {
        StringBuilder b = new StringBuilder(s.name().isEmpty() ? (s.union() ? "union" : "struct") : tag(s.id()));
        boolean isPacked = packed(s);
        b.append(" {");
        long cur = 0;
        for (BtfType.Member m : s.members()) {
            int bits = bitfield(m);
            long off = m.bitOffset() & 0xffffffffL;
            if (!s.union()) {
                long natural;
                if (bits == 0) {
                    natural = roundUp(cur, (isPacked ? 1 : align(m.type())) * 8L);
                } else {
                    long unit = btf.sizeOf(m.type()) * 8;
                    natural = !isPacked && unit > 0 && cur / unit != (cur + bits - 1) / unit ? roundUp(cur, unit) : cur;
                }
                if (off > natural) {
                    padding(b, cur, off, isPacked, level + 1);
                }
            }
            b.append('\n').append(indent(level + 1)).append(declaration(m.type(), m.name(), level + 1));
            if (bits != 0) {
                b.append(": ").append(bits);
            }
            b.append(';');
            cur = Math.max(cur, off + (bits != 0 ? bits : btf.sizeOf(m.type()) * 8));
        }
        if (!s.union()) {
            long end = (s.size() & 0xffffffffL) * 8;
            if (roundUp(cur, (isPacked ? 1 : align(s.id())) * 8L) < end) {
                padding(b, cur, end, isPacked, level + 1);
            }
        }
        b.append(s.members().isEmpty() && cur == 0 && s.size() == 0 ? "}" : "\n" + indent(level) + "}");
        if (isPacked) {
            b.append(" __attribute__((packed))");
        }
        return b.toString();
    }

    /** Gaps of at least this many bits (a page) print as one named {@code char} array rather than line by line. */
    private static final long LARGE_GAP_BITS = 4096 * 8;

    /**
     * Unnamed bit-fields from bit {@code from} to bit {@code to}, each within one aligned unit of its
     * type. Outside packed structs, a gap that runs past the next 64-bit boundary starts with
     * {@code long: 64}, which the compiler itself moves to that boundary (as bpftool prints it).
     * A byte-aligned gap of a page or more (which only hand-made BTF has: bpftool would print
     * millions of lines for a struct of gigabytes) becomes {@code char __pad_OFFSET[N];}.
     */
    private static void padding(StringBuilder b, long from, long to, boolean packed, int level) {
        String[] types = {"char", "short", "int", "long"};
        if (to - from >= LARGE_GAP_BITS) {
            // one line per 64 bits would not do: bits up to a byte boundary, then one byte array (alignment 1,
            // so the compiler places it right there), then the bits after the last whole byte
            long first = roundUp(from, 8);
            long last = to / 8 * 8;
            padding(b, from, first, packed, level);
            b.append('\n').append(indent(level)).append("char __pad_").append(first / 8).append('[')
                    .append((last - first) / 8).append("];");
            padding(b, last, to, packed, level);
            return;
        }
        if (!packed && from % 64 != 0 && roundUp(from, 64) + 64 <= to) {
            from = roundUp(from, 64);
        }
        while (from < to) {
            long width = Math.min(to, from / 64 * 64 + 64) - from;
            for (int i = 0; i < types.length; i++) {
                long unit = 8L << i;
                if (from / unit * unit + unit >= from + width) {
                    b.append('\n').append(indent(level)).append(types[i]).append(": ").append(width).append(';');
                    break;
                }
            }
            from += width;
        }
    }

    /** The bit-field width of {@code m}, 0 when it is a plain member (also for BTF's older INT encoding of bit-fields). */
    private int bitfield(BtfType.Member m) {
        if (m.bitfieldSize() != 0) {
            return m.bitfieldSize();
        }
        if (btf.type(m.type()) instanceof BtfType.Int i && i.bits() != i.size() * 8) {
            return i.bits();
        }
        return 0;
    }

    private static long roundUp(long v, long to) {
        return to <= 1 ? v : (v + to - 1) / to * to;
    }

    /** The alignment C gives type {@code id} in bytes, as printed (packed structs: 1). */
    private int align(int id) {
        Integer known = alignments.get(id);
        if (known != null) {
            return known;
        }
        BtfType t = btf.resolve(id);
        int a;
        if (t instanceof BtfType.Int || t instanceof BtfType.Float || t instanceof BtfType.Enum) {
            long size = btf.sizeOf(t.id());
            a = (int) Math.min(Long.highestOneBit(Math.max(size, 1)), 16);
        } else if (t instanceof BtfType.Ptr) {
            a = 8;
        } else if (t instanceof BtfType.Array arr) {
            a = align(arr.elementType());
        } else if (t instanceof BtfType.Struct s) {
            a = packed(s) ? 1 : naturalAlign(s);
        } else {
            a = 1;
        }
        alignments.put(id, a);
        return a;
    }

    private int naturalAlign(BtfType.Struct s) {
        int a = 1;
        for (BtfType.Member m : s.members()) {
            a = Math.max(a, align(m.type()));
        }
        return a;
    }

    /** Whether no natural C layout gives the offsets and size BTF has: the struct was packed. */
    private boolean packed(BtfType.Struct s) {
        Boolean known = packed.get(s.id());
        if (known != null) {
            return known;
        }
        packed.put(s.id(), false); // a (bad) self-containing struct stops here
        int natural = naturalAlign(s);
        boolean p = (s.size() & 0xffffffffL) % natural != 0;
        for (BtfType.Member m : s.members()) {
            int bits = bitfield(m);
            long off = m.bitOffset() & 0xffffffffL;
            if (bits == 0) {
                p |= off % (align(m.type()) * 8L) != 0;
            } else {
                long unit = btf.sizeOf(m.type()) * 8;
                p |= unit > 0 && off / unit != (off + bits - 1) / unit;
            }
        }
        packed.put(s.id(), p);
        return p;
    }
}
