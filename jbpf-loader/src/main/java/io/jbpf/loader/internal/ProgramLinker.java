package io.jbpf.loader.internal;

import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InsnCodec;
import io.jbpf.core.insn.LoadMapRef;
import io.jbpf.core.insn.RawInsn;
import io.jbpf.core.insn.Reg;
import io.jbpf.loader.LoaderException;
import io.jbpf.loader.elf.ElfFile;
import io.jbpf.loader.elf.ElfRelocation;
import io.jbpf.loader.elf.ElfSection;
import io.jbpf.loader.elf.ElfSymbol;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one program of an object file into instructions the kernel can load: the program's own
 * function, followed by every function it calls (BPF-to-BPF calls and callbacks, from {@code .text}
 * or its own section, transitively), with call offsets recomputed for the new layout and loads of
 * maps and global variables replaced by symbolic {@link LoadMapRef}s.
 */
public final class ProgramLinker {
    private static final int OP_CALL = 0x85;
    private static final int OP_LD_IMM64 = 0x18;
    private static final int PSEUDO_CALL = 1;
    private static final int PSEUDO_FUNC = 4;

    private final ElfFile elf;
    private final java.util.Set<Integer> mapSections;
    private final Map<Integer, String> dataMaps;
    private final Map<String, Map<Integer, CoreRelocator.Patch>> core;
    private final Externs externs;

    /** A function's slots [start, end) in its section, and where it lands in the linked program. */
    private record Chunk(ElfSection section, ElfSymbol symbol, int start, int end) {
    }

    /**
     * @param mapSections  indexes of the sections whose symbols are maps ({@code .maps}, legacy {@code maps})
     * @param dataMaps     section index → name of the map that holds that global data section
     * @param core         section name → slot → CO-RE patch of that instruction
     */
    public ProgramLinker(ElfFile elf, java.util.Set<Integer> mapSections, Map<Integer, String> dataMaps,
            Map<String, Map<Integer, CoreRelocator.Patch>> core, Externs externs) {
        this.externs = externs;
        this.elf = elf;
        this.mapSections = mapSections;
        this.dataMaps = dataMaps;
        this.core = core;
    }

    /** Where a function of the object landed in a linked program: slots [start, end) of {@code section} at {@code base}. */
    public record Placement(String section, int start, int end, int base) {
    }

    /** A linked program: its instructions and where each function of the object went. */
    public record Linked(List<Insn> instructions, List<Placement> placements) {
    }

    /** The linked instructions of program {@code entry} of section {@code section}. */
    public Linked link(ElfSection section, ElfSymbol entry) {
        Map<Chunk, Integer> bases = new LinkedHashMap<>();
        Deque<Chunk> work = new ArrayDeque<>();
        Chunk first = chunk(section, entry);
        work.add(first);
        int next = 0;
        while (!work.isEmpty()) {
            Chunk c = work.poll();
            if (bases.containsKey(c)) {
                continue;
            }
            bases.put(c, next);
            next += c.end() - c.start();
            for (Target t : calls(c)) {
                work.add(t.callee());
            }
        }
        List<RawInsn> out = new ArrayList<>(next);
        Map<Integer, Insn> refs = new HashMap<>();
        for (Map.Entry<Chunk, Integer> e : bases.entrySet()) {
            Chunk c = e.getKey();
            int base = e.getValue();
            List<RawInsn> code = raw(c);
            for (Target t : calls(c)) {
                RawInsn insn = code.get(t.slot());
                int target = bases.get(t.callee()) + t.calleeSlot();
                int src = insn.opcode() == OP_LD_IMM64 ? PSEUDO_FUNC : insn.src();
                code.set(t.slot(), new RawInsn(insn.opcode(), insn.dst(), src, insn.offset(),
                        target - (base + t.slot()) - 1));
            }
            for (ElfRelocation r : relocationsIn(c)) {
                if (r.type() != ElfRelocation.R_BPF_64_64 || isCode(r.symbol())) {
                    continue;
                }
                int slot = (int) (r.offset() / 8) - c.start();
                refs.put(base + slot, mapRef(c, slot, code.get(slot), r));
            }
            out.addAll(code);
        }
        List<Placement> placements = new ArrayList<>();
        bases.forEach((c, base) -> placements.add(new Placement(c.section().name(), c.start(), c.end(), base)));
        byte[] bytes = InsnCodec.encode(out, elf.order());
        List<Insn> typed = new ArrayList<>(InsnCodec.decode(bytes, elf.order()));
        int slot = 0;
        for (int i = 0; i < typed.size(); i++) {
            Insn ref = refs.get(slot);
            if (ref != null) {
                typed.set(i, ref);
            }
            slot += typed.get(i).slots();
        }
        return new Linked(typed, List.copyOf(placements));
    }

    /** A call (or function address load) at {@code slot} of a chunk, to {@code calleeSlot} of {@code callee}. */
    private record Target(int slot, Chunk callee, int calleeSlot) {
    }

    private List<Target> calls(Chunk c) {
        List<RawInsn> code = raw(c);
        Map<Integer, ElfRelocation> relocated = new HashMap<>();
        for (ElfRelocation r : relocationsIn(c)) {
            relocated.put((int) (r.offset() / 8) - c.start(), r);
        }
        List<Target> targets = new ArrayList<>();
        for (int s = 0; s < code.size(); s++) {
            RawInsn insn = code.get(s);
            boolean call = insn.opcode() == OP_CALL && insn.src() == PSEUDO_CALL;
            boolean funcAddress = insn.opcode() == OP_LD_IMM64 && insn.src() == PSEUDO_FUNC;
            ElfRelocation r = relocated.get(s);
            if (r != null && r.type() == ElfRelocation.R_BPF_64_64 && isCode(r.symbol())) {
                funcAddress = true;
            }
            if (!call && !funcAddress) {
                continue;
            }
            ElfSection targetSection;
            int targetSlot;
            if (r != null) {
                ElfSymbol sym = r.symbol();
                targetSection = elf.sections().get(sym.sectionIndex());
                targetSlot = (int) (sym.value() / 8) + insn.imm() + 1;
                if (funcAddress) {
                    targetSlot = (int) (sym.value() / 8) + insn.imm() / 8;
                }
            } else {
                targetSection = c.section();
                targetSlot = c.start() + s + insn.imm() + 1;
            }
            Chunk callee = functionAt(targetSection, targetSlot, c);
            targets.add(new Target(s, callee, targetSlot - callee.start()));
        }
        return targets;
    }

    private boolean isCode(ElfSymbol sym) {
        return sym.sectionIndex() > 0 && sym.sectionIndex() < elf.sections().size()
                && elf.sections().get(sym.sectionIndex()).executable();
    }

    private Insn mapRef(Chunk c, int slot, RawInsn insn, ElfRelocation r) {
        ElfSymbol sym = r.symbol();
        Reg dst = Reg.values()[insn.dst()];
        if (sym.undefined() && externs != null) {
            Insn extern = externs.load(sym.name(), dst, insn.imm());
            if (extern != null) {
                return extern;
            }
        }
        if (mapSections.contains(sym.sectionIndex())) {
            return LoadMapRef.map(dst, sym.name());
        }
        String data = dataMaps.get(sym.sectionIndex());
        if (data != null) {
            long offset = (sym.type() == ElfSymbol.STT_SECTION ? 0 : sym.value()) + insn.imm();
            return LoadMapRef.value(dst, data, (int) offset);
        }
        String where = sym.sectionIndex() > 0 && sym.sectionIndex() < elf.sections().size()
                ? "section '" + elf.sections().get(sym.sectionIndex()).name() + "'"
                : (sym.undefined() ? "no section (an extern)" : "section " + sym.sectionIndex());
        throw new LoaderException("instruction " + (c.start() + slot) + " of " + c.section().name() + " loads symbol '"
                + sym.name() + "' from " + where + ", which is neither a map nor global data");
    }

    private List<ElfRelocation> relocationsIn(Chunk c) {
        List<ElfRelocation> in = new ArrayList<>();
        for (ElfRelocation r : elf.relocations(c.section())) {
            long slot = r.offset() / 8;
            if (slot >= c.start() && slot < c.end()) {
                in.add(r);
            }
        }
        return in;
    }

    private List<RawInsn> raw(Chunk c) {
        byte[] all = elf.bytes(c.section());
        byte[] mine = java.util.Arrays.copyOfRange(all, c.start() * 8, c.end() * 8);
        List<RawInsn> code = new ArrayList<>(InsnCodec.decodeRaw(mine, elf.order()));
        Map<Integer, CoreRelocator.Patch> patches = core.getOrDefault(c.section().name(), Map.of());
        for (int s = 0; s < code.size(); s++) {
            CoreRelocator.Patch p = patches.get(c.start() + s);
            if (p != null) {
                applyCore(code, s, p);
            }
        }
        return code;
    }

    /** Puts a CO-RE value where the instruction carries it: a memory offset, an ALU immediate, a 64-bit immediate. */
    private static void applyCore(List<RawInsn> code, int s, CoreRelocator.Patch p) {
        RawInsn insn = code.get(s);
        if (p.poison()) {
            code.set(s, new RawInsn(OP_CALL, 0, 0, 0, CoreRelocator.POISON));
            if (insn.opcode() == OP_LD_IMM64 && s + 1 < code.size()) {
                code.set(s + 1, new RawInsn(0x05, 0, 0, 0, 0)); // goto +0 in the second slot
            }
            return;
        }
        int cls = insn.opcode() & 7;
        if (cls == 1 || cls == 2 || cls == 3) { // LDX, ST, STX: the offset
            if (p.value() < Short.MIN_VALUE || p.value() > Short.MAX_VALUE) {
                throw new LoaderException(p.why() + ": offset " + p.value() + " does not fit a memory instruction");
            }
            code.set(s, new RawInsn(insn.opcode(), insn.dst(), insn.src(), (int) p.value(), insn.imm()));
        } else if ((cls == 4 || cls == 7) && (insn.opcode() & 0x08) == 0) { // ALU/ALU64 with an immediate
            code.set(s, new RawInsn(insn.opcode(), insn.dst(), insn.src(), insn.offset(), (int) p.value()));
        } else if (insn.opcode() == OP_LD_IMM64 && s + 1 < code.size()) {
            code.set(s, new RawInsn(insn.opcode(), insn.dst(), insn.src(), insn.offset(), (int) p.value()));
            RawInsn hi = code.get(s + 1);
            code.set(s + 1, new RawInsn(hi.opcode(), hi.dst(), hi.src(), hi.offset(), (int) (p.value() >>> 32)));
        } else {
            throw new LoaderException(p.why() + ": instruction opcode 0x" + Integer.toHexString(insn.opcode())
                    + " carries no value CO-RE can set");
        }
    }

    private Chunk chunk(ElfSection section, ElfSymbol fn) {
        if (fn.value() % 8 != 0 || fn.size() % 8 != 0 || fn.value() + fn.size() > section.size() || fn.size() == 0) {
            throw new LoaderException("function '" + fn.name() + "' of section '" + section.name() + "' lies at offset "
                    + fn.value() + " (" + fn.size() + " bytes), not whole instructions inside the section");
        }
        return new Chunk(section, fn, (int) (fn.value() / 8), (int) ((fn.value() + fn.size()) / 8));
    }

    /** The function symbol of {@code section} that contains {@code slot}. */
    private Chunk functionAt(ElfSection section, int slot, Chunk from) {
        for (ElfSymbol s : elf.symbols()) {
            if (s.type() == ElfSymbol.STT_FUNC && s.sectionIndex() == section.index()
                    && slot >= s.value() / 8 && slot < (s.value() + s.size()) / 8) {
                return chunk(section, s);
            }
        }
        throw new LoaderException("function '" + from.symbol().name() + "' calls instruction " + slot + " of section '"
                + section.name() + "', where no function starts");
    }
}
