package io.jbpf.loader.internal;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfExt;
import io.jbpf.core.btf.BtfType;
import io.jbpf.core.btf.BtfWriter;
import io.jbpf.core.prog.ProgramBtf;
import io.jbpf.loader.elf.ElfFile;
import io.jbpf.loader.elf.ElfSection;
import io.jbpf.loader.elf.ElfSymbol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The BTF the kernel gets with each program of an object: the object's types with data section
 * sizes and variable offsets filled in (clang leaves them 0 for the loader to fix), and the func
 * and line info of every function placed in the linked program, renumbered to its instructions.
 */
public final class ProgramBtfBuilder {
    private final Btf btf;
    private final BtfExt ext;
    private final List<BtfType> fixedTypes;
    private final byte[] fixedRaw;

    public ProgramBtfBuilder(ElfFile elf, Btf btf, BtfExt ext, Externs externs) {
        this.btf = btf;
        this.ext = ext;
        this.fixedTypes = fixExterns(fixDatasecs(elf, btf), externs);
        this.fixedRaw = BtfWriter.write(fixedTypes, ByteOrder.nativeOrder());
    }

    /** The object's BTF with data sections fixed up, for maps to carry their key and value types. */
    public byte[] fixedBtf() {
        return fixedRaw.clone();
    }

    /** The id of the DATASEC type of section {@code name}, 0 when there is none. */
    public int datasecId(String name) {
        for (BtfType t : fixedTypes) {
            if (t instanceof BtfType.Datasec d && d.name().equals(name)) {
                return d.id();
            }
        }
        return 0;
    }

    private static List<BtfType> fixDatasecs(ElfFile elf, Btf btf) {
        List<BtfType> types = new ArrayList<>(btf.types());
        for (int i = 0; i < types.size(); i++) {
            if (!(types.get(i) instanceof BtfType.Datasec d)) {
                continue;
            }
            Optional<ElfSection> section = elf.section(d.name());
            int size = section.map(s -> (int) s.size()).orElse(d.size());
            List<BtfType.VarSecInfo> vars = new ArrayList<>();
            for (BtfType.VarSecInfo v : d.vars()) {
                String var = btf.type(v.type()).name();
                int offset = elf.symbols().stream()
                        .filter(s -> s.name().equals(var) && section.isPresent() && s.sectionIndex() == section.get().index()
                                && s.type() != ElfSymbol.STT_SECTION)
                        .map(s -> (int) s.value()).findFirst().orElse(v.offset());
                vars.add(new BtfType.VarSecInfo(v.type(), offset, v.size()));
            }
            types.set(i, new BtfType.Datasec(d.id(), d.name(), size, List.copyOf(vars)));
        }
        return List.copyOf(types);
    }

    /**
     * The kernel takes no extern variables: as libbpf does, {@code .kconfig} variables become
     * global ones laid out as the kconfig map holds them, and {@code .ksyms} (resolved to addresses
     * or kernel BTF ids, so only names here) is replaced, with its variables, by plain {@code void *}
     * types that keep every type id in place.
     */
    private static List<BtfType> fixExterns(List<BtfType> types, Externs externs) {
        List<BtfType> out = new ArrayList<>(types);
        for (int i = 0; i < out.size(); i++) {
            if (!(out.get(i) instanceof BtfType.Datasec d)) {
                continue;
            }
            if (d.name().equals(Externs.KCONFIG_MAP) && externs != null) {
                Map<String, Integer> offsets = externs.kconfigOffsets();
                List<BtfType.VarSecInfo> vars = new ArrayList<>();
                int size = 0;
                for (BtfType.VarSecInfo v : d.vars()) {
                    BtfType.Var var = (BtfType.Var) out.get(v.type());
                    out.set(var.id(), new BtfType.Var(var.id(), var.name(), var.type(), 1));
                    int offset = offsets.getOrDefault(var.name(), 0);
                    vars.add(new BtfType.VarSecInfo(v.type(), offset, v.size()));
                    size = Math.max(size, offset + v.size());
                }
                out.set(i, new BtfType.Datasec(d.id(), d.name(), size, List.copyOf(vars)));
            } else if (d.name().equals(".ksyms")) {
                for (BtfType.VarSecInfo v : d.vars()) {
                    out.set(v.type(), new BtfType.Ptr(v.type(), "", 0));
                }
                out.set(i, new BtfType.Ptr(d.id(), "", 0));
            }
        }
        return List.copyOf(out);
    }

    /** The BTF, func info and line info for a program linked as {@code placements}. */
    public ProgramBtf build(List<ProgramLinker.Placement> placements) {
        BtfWriter writer = new BtfWriter(ByteOrder.nativeOrder());
        record Func(int insn, int type) {
        }
        record Line(int insn, int file, int line, int lineCol) {
        }
        List<Func> funcs = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        for (ProgramLinker.Placement p : placements) {
            for (BtfExt.FuncInfo f : ext.funcInfo(p.section())) {
                int slot = f.insnOffset() / 8;
                if (slot >= p.start() && slot < p.end()) {
                    funcs.add(new Func(p.base() + slot - p.start(), f.typeId()));
                }
            }
            for (BtfExt.LineInfo l : ext.lineInfo(p.section())) {
                int slot = l.insnOffset() / 8;
                if (slot >= p.start() && slot < p.end()) {
                    lines.add(new Line(p.base() + slot - p.start(), writer.string(l.file()), writer.string(l.line()),
                            (l.lineNumber() << 10) | l.column()));
                }
            }
        }
        funcs.sort(Comparator.comparingInt(Func::insn));
        lines.sort(Comparator.comparingInt(Line::insn));
        byte[] raw = writer.write(fixedTypes);
        ByteBuffer fi = ByteBuffer.allocate(funcs.size() * 8).order(ByteOrder.nativeOrder());
        funcs.forEach(f -> fi.putInt(f.insn()).putInt(f.type()));
        ByteBuffer li = ByteBuffer.allocate(lines.size() * 16).order(ByteOrder.nativeOrder());
        lines.forEach(l -> li.putInt(l.insn()).putInt(l.file()).putInt(l.line()).putInt(l.lineCol()));
        return new ProgramBtf(raw, fi.array(), 8, li.array(), 16);
    }

    /** The object's BTF (as parsed, before the fixes). */
    public Btf btf() {
        return btf;
    }
}
