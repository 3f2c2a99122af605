package io.jbpf.core.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites BTF for a kernel that lacks some kinds, the way libbpf sanitises an object's BTF before
 * loading it: every type keeps its id (so map and program records stay valid), and a kind the
 * kernel does not know becomes one it does, of the same size where a size matters:
 * <ul>
 *   <li>no {@code DATASEC}: each {@code VAR} becomes a one-byte {@code INT}, each {@code DATASEC} a
 *       {@code STRUCT} of the same size whose members are its variables at their offsets (dots in
 *       names become underscores, as C identifiers);</li>
 *   <li>no {@code FUNC}: each {@code FUNC_PROTO} becomes an {@code ENUM} (one enumerator per
 *       parameter) and each {@code FUNC} a {@code TYPEDEF} of it; func info must then be left out;</li>
 *   <li>no global functions: {@code FUNC}s become static;</li>
 *   <li>no {@code FLOAT}: an empty {@code STRUCT} of the same size;</li>
 *   <li>no {@code DECL_TAG}: a one-byte {@code INT};</li>
 *   <li>no {@code TYPE_TAG}: a {@code CONST} of the same type;</li>
 *   <li>no {@code ENUM64}: a {@code UNION} of the same size with one member per enumerator, each of
 *       a one-byte {@code INT} added at the end of the type table.</li>
 * </ul>
 * Pure computation, no syscalls.
 */
public final class BtfSanitizer {
    private BtfSanitizer() {}

    /** {@code types} (as {@link Btf#types()} lists them, from id 0) rewritten for a kernel with {@code features}. */
    public static List<BtfType> sanitize(List<BtfType> types, BtfFeatures features) {
        if (features.all()) {
            return types;
        }
        List<BtfType> out = new ArrayList<>(types);
        int placeholder = -1;
        for (int i = 0; i < types.size(); i++) {
            BtfType t = types.get(i);
            if (t instanceof BtfType.Var v && !features.datasec()) {
                out.set(i, byteInt(i, identifier(v.name())));
            } else if (t instanceof BtfType.Datasec d && !features.datasec()) {
                List<BtfType.Member> members = new ArrayList<>();
                for (BtfType.VarSecInfo v : d.vars()) {
                    String name = v.type() > 0 && v.type() < types.size() ? types.get(v.type()).name() : "";
                    members.add(new BtfType.Member(identifier(name), v.type(), v.offset() * 8, 0));
                }
                out.set(i, new BtfType.Struct(i, identifier(d.name()), false, d.size(), List.copyOf(members)));
            } else if (t instanceof BtfType.FuncProto p && !features.func()) {
                List<BtfType.Enumerator> values = new ArrayList<>();
                for (int k = 0; k < p.params().size(); k++) {
                    BtfType.Param x = p.params().get(k);
                    // the kernel wants every enumerator named
                    values.add(new BtfType.Enumerator(x.name().isEmpty() ? "param" + k : identifier(x.name()),
                            x.type() & 0xffffffffL));
                }
                out.set(i, new BtfType.Enum(i, "", false, 4, false, List.copyOf(values)));
            } else if (t instanceof BtfType.Func f && !features.func()) {
                out.set(i, new BtfType.Modifier(i, f.name(), BtfKind.TYPEDEF, f.type()));
            } else if (t instanceof BtfType.Func f && !features.funcGlobal() && f.linkage() == 1) {
                out.set(i, new BtfType.Func(i, f.name(), 0, f.type()));
            } else if (t instanceof BtfType.Float f && !features.floats()) {
                out.set(i, new BtfType.Struct(i, f.name(), false, f.size(), List.of()));
            } else if (t instanceof BtfType.DeclTag && !features.declTag()) {
                out.set(i, byteInt(i, ""));
            } else if (t instanceof BtfType.Modifier m && m.kind() == BtfKind.TYPE_TAG && !features.typeTag()) {
                out.set(i, new BtfType.Modifier(i, "", BtfKind.CONST, m.type()));
            } else if (t instanceof BtfType.Enum e && e.is64() && !features.enum64()) {
                if (placeholder < 0) {
                    placeholder = out.size();
                    out.add(byteInt(placeholder, "enum64_placeholder"));
                }
                List<BtfType.Member> members = new ArrayList<>();
                for (BtfType.Enumerator v : e.values()) {
                    members.add(new BtfType.Member(v.name(), placeholder, 0, 0));
                }
                out.set(i, new BtfType.Struct(i, e.name(), true, e.size(), List.copyOf(members)));
            }
        }
        return List.copyOf(out);
    }

    private static BtfType.Int byteInt(int id, String name) {
        return new BtfType.Int(id, name, 1, false, false, false, 0, 8);
    }

    /** {@code .rodata.str1.1} → {@code _rodata_str1_1}. */
    private static String identifier(String name) {
        return name.replaceAll("[^A-Za-z0-9_]", "_");
    }
}
