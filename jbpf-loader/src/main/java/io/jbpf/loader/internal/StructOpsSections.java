package io.jbpf.loader.internal;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfKind;
import io.jbpf.core.btf.BtfType;
import io.jbpf.loader.LoaderException;
import io.jbpf.loader.elf.ElfFile;
import io.jbpf.loader.elf.ElfRelocation;
import io.jbpf.loader.elf.ElfSection;
import io.jbpf.loader.elf.ElfSymbol;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The struct_ops variables of an object, as libbpf reads them: each global variable of section
 * {@code .struct_ops} (registered by writing the map) or {@code .struct_ops.link} (registered
 * through a link) is a struct such as {@code tcp_congestion_ops} that becomes one STRUCT_OPS map.
 * Its function pointer members are relocations naming the programs that implement them; its other
 * members are data (the non-zero ones are kept, by member name, to be placed at the kernel's
 * offsets at load).
 */
public final class StructOpsSections {

    /**
     * One struct_ops variable.
     *
     * @param variable   the variable's name (the map's name in the object)
     * @param link       whether it is registered through a link ({@code .struct_ops.link})
     * @param structName the struct's name, the same in the object's and the kernel's BTF
     * @param programs   function pointer member → the function implementing it
     * @param data       data member → its bytes, for members that are not all zero
     */
    public record Definition(String variable, boolean link, String structName, Map<String, String> programs,
            Map<String, byte[]> data) {
        public Definition {
            programs = Collections.unmodifiableMap(new LinkedHashMap<>(programs));
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }
    }

    private StructOpsSections() {}

    /** Whether {@code name} is a struct_ops data section. */
    public static boolean isStructOps(String name) {
        return name.equals(".struct_ops") || name.startsWith(".struct_ops.");
    }

    /** The struct_ops variables of {@code elf}, by variable name; empty when it has none. */
    public static Map<String, Definition> read(ElfFile elf, Btf btf) {
        Map<String, Definition> out = new LinkedHashMap<>();
        for (ElfSection s : elf.sections()) {
            if (!isStructOps(s.name()) || s.executable()) {
                continue;
            }
            if (btf == null) {
                throw new LoaderException("section '" + s.name() + "' holds struct_ops, which need the object's BTF"
                        + " (compile with -g)");
            }
            boolean link = s.name().equals(".struct_ops.link") || s.name().startsWith(".struct_ops.link.");
            byte[] bytes = s.hasBytes() ? elf.bytes(s) : new byte[(int) s.size()];
            for (ElfSymbol v : elf.symbols()) {
                if (v.sectionIndex() != s.index() || v.type() != ElfSymbol.STT_OBJECT) {
                    continue;
                }
                out.put(v.name(), definition(elf, btf, s, bytes, v, link));
            }
        }
        return out;
    }

    private static Definition definition(ElfFile elf, Btf btf, ElfSection s, byte[] bytes, ElfSymbol v, boolean link) {
        BtfType.Struct struct = btf.types().stream()
                .filter(t -> t instanceof BtfType.Var var && var.name().equals(v.name()))
                .map(t -> btf.resolve(((BtfType.Var) t).type()))
                .filter(t -> t instanceof BtfType.Struct)
                .map(BtfType.Struct.class::cast)
                .findFirst()
                .orElseThrow(() -> new LoaderException("struct_ops variable '" + v.name() + "' of section '" + s.name()
                        + "' is no struct in the object's BTF"));
        Map<String, String> programs = new LinkedHashMap<>();
        for (ElfRelocation r : elf.relocations(s)) {
            long at = r.offset() - v.value();
            if (at < 0 || at >= v.size()) {
                continue;
            }
            BtfType.Member m = struct.members().stream().filter(x -> x.bitOffset() / 8 == at).findFirst()
                    .orElseThrow(() -> new LoaderException("struct_ops variable '" + v.name() + "' has a relocation at"
                            + " byte " + at + ", where struct " + struct.name() + " has no member"));
            ElfSymbol target = r.symbol();
            if (target.type() != ElfSymbol.STT_FUNC) {
                throw new LoaderException("member '" + m.name() + "' of struct_ops variable '" + v.name()
                        + "' points at '" + target.name() + "', which is not a function (make the program a global"
                        + " function of a struct_ops/ section)");
            }
            programs.put(m.name(), target.name());
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        for (BtfType.Member m : struct.members()) {
            if (programs.containsKey(m.name()) || isFunctionPointer(btf, m.type())) {
                continue;
            }
            int from = (int) (v.value() + m.bitOffset() / 8);
            byte[] value = Arrays.copyOfRange(bytes, from, from + (int) btf.sizeOf(m.type()));
            boolean zero = true;
            for (byte x : value) {
                zero &= x == 0;
            }
            if (!zero) {
                data.put(m.name(), value);
            }
        }
        return new Definition(v.name(), link, struct.name(), programs, data);
    }

    private static boolean isFunctionPointer(Btf btf, int type) {
        return btf.resolve(type) instanceof BtfType.Ptr p && btf.resolve(p.type()).kind() == BtfKind.FUNC_PROTO;
    }
}
