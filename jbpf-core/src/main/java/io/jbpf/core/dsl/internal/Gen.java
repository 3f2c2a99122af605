package io.jbpf.core.dsl.internal;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.DslException;
import io.jbpf.core.dsl.Emitter;
import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.MapEntry;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.core.map.MapSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of one compilation: the assembler, labels, the stack layout, where each parsed
 * header is kept, and the maps the program needs. Also the {@link Emitter} fragments get.
 *
 * <p>Where headers are kept: with direct packet access a stack slot per header holds a pointer to
 * it, checked for {@link Layer#minLength()} bytes, or 0 when the packet does not have it (the
 * verifier keeps the range of spilled packet pointers, so one check serves every read). A socket
 * filter's slot holds the header's offset from the MAC header plus one (0: absent) and the header's
 * first bytes are copied to a stack buffer of their own.
 */
final class Gen implements Emitter {
    static final int STACK_LIMIT = 512;

    final Assembler asm = new Assembler();
    final Target target;
    final Set<Layer> layers;
    final int ipv6Headers;
    private final Map<Layer, Integer> slots = new EnumMap<>(Layer.class);
    private final Map<Layer, Integer> buffers = new EnumMap<>(Layer.class);
    private final Map<String, MapSpec> maps = new LinkedHashMap<>();
    private final List<MapEntry> entries = new ArrayList<>();
    private int stack;
    private int labels;
    private int extBuffer;
    private int launderSlot;
    private int lpmKey;
    /** The lazy parser, or null when the headers are all parsed at the start (see {@link Parser}). */
    final LazyParser lazy;

    /** A compilation whose headers are all parsed at the start by {@link Parser}. */
    Gen(Target target, Set<Layer> layers, int ipv6Headers) {
        this(target, layers, ipv6Headers, null);
    }

    /**
     * With {@code lazyUses} (how many reads of each header the program has) the headers are parsed
     * as the matches need them (direct access only), else all at the start.
     */
    Gen(Target target, Set<Layer> layers, int ipv6Headers, Map<Layer, Integer> lazyUses) {
        this.target = target;
        this.layers = layers.isEmpty() ? EnumSet.noneOf(Layer.class) : EnumSet.copyOf(layers);
        this.ipv6Headers = ipv6Headers;
        if (lazyUses != null) {
            if (!target.directPacketAccess()) {
                throw new IllegalStateException("lazy parsing needs direct packet access");
            }
            this.lazy = new LazyParser(this, lazyUses);
            return;
        }
        this.lazy = null;
        for (Layer l : this.layers) {
            slots.put(l, stack(8));
        }
        if (!target.directPacketAccess() && !this.layers.isEmpty()) {
            for (Layer l : Parser.parsedLayers(this.layers)) {
                buffers.put(l, stack(l == Layer.ETHERNET ? 14 : l.minLength()));
            }
            if (Parser.walksIpv6(this.layers)) {
                extBuffer = stack(8);
                launderSlot = stack(8) + 2;
            }
        }
    }

    // ---- Emitter ----

    @Override
    public Assembler asm() {
        return asm;
    }

    @Override
    public Target target() {
        return target;
    }

    @Override
    public String label(String hint) {
        return hint + "_" + labels++;
    }

    @Override
    public int stack(int bytes) {
        if (bytes <= 0) {
            throw new DslException("stack area of " + bytes + " bytes");
        }
        int size = (bytes + 7) & ~7;
        if (stack + size > STACK_LIMIT) {
            throw new DslException("the program needs more than " + STACK_LIMIT + " bytes of stack ("
                    + stack + " used, " + size + " more asked for)");
        }
        stack += size;
        return -stack;
    }

    @Override
    public void loadPacketStart(Reg dst) {
        requireDirect("data");
        asm.load(Size.W, dst, Reg.R6, target.dataOffset());
    }

    @Override
    public void loadPacketEnd(Reg dst) {
        requireDirect("data_end");
        asm.load(Size.W, dst, Reg.R6, target.dataEndOffset());
    }

    private void requireDirect(String what) {
        if (!target.directPacketAccess()) {
            throw new DslException(target + " has no direct packet access (" + what + ")");
        }
    }

    private void requireParsed(Layer layer) {
        if (!layers.contains(layer)) {
            throw new DslException("the program does not parse " + layer + " (declare it in layers())");
        }
    }

    @Override
    public void headerPointer(Layer layer, Reg dst, String absent) {
        requireDirect(layer + " pointer");
        requireParsed(layer);
        if (lazy != null) {
            lazy.ensure(layer, absent);
            Access acc = lazy.access(layer, dst);
            if (acc.base() != dst) {
                asm.mov(dst, acc.base());
            }
            return;
        }
        asm.load(Size.DW, dst, Reg.R10, slots.get(layer));
        asm.jeq(dst, 0, absent);
    }

    @Override
    public void headerOffset(Layer layer, Reg dst, Reg scratch, String absent) {
        requireParsed(layer);
        if (lazy != null) {
            headerPointer(layer, dst, absent);
            loadPacketStart(scratch);
            asm.sub(dst, scratch);
            return;
        }
        asm.load(Size.DW, dst, Reg.R10, slots.get(layer));
        asm.jeq(dst, 0, absent);
        if (target.directPacketAccess()) {
            loadPacketStart(scratch);
            asm.sub(dst, scratch);
        } else {
            asm.sub(dst, 1);
        }
    }

    /** Where a header's bytes are: a base register and the offset of its first byte from it. */
    record Access(Reg base, int offset) {}

    /** Loads the header's base into {@code reg} (or uses the stack), jumping to {@code absent} without it. */
    Access access(Layer layer, Reg reg, String absent) {
        requireParsed(layer);
        if (lazy != null) {
            lazy.ensure(layer, absent);
            return lazy.access(layer, reg);
        }
        asm.load(Size.DW, reg, Reg.R10, slots.get(layer));
        asm.jeq(reg, 0, absent);
        return target.directPacketAccess() ? new Access(reg, 0) : new Access(Reg.R10, buffers.get(layer));
    }

    @Override
    public void loadField(Field field, Reg dst, String absent) {
        if (field.layer() == null) {
            loadLength(dst, dst == Reg.R1 ? Reg.R2 : Reg.R1);
            return;
        }
        Access a = access(field.layer(), dst, absent);
        load(field.bytes(), dst, a, field.offset());
        if (field.bytes() > 1) {
            asm.toBe(dst, field.bytes() * 8);
        }
        if (field.shift() != 0) {
            asm.rsh(dst, field.shift());
        }
        if (field.mask() != (1L << (field.bytes() * 8)) - 1) {
            asm.and(dst, (int) field.mask());
        }
    }

    /**
     * {@code dst} = {@code bytes} bytes at {@code off} of a header as stored (little-endian view
     * of network order). Stack buffers need aligned loads: a misaligned one is put together from
     * aligned halves with the help of R0 (R1 when {@code dst} is R0).
     */
    void load(int bytes, Reg dst, Access a, int off) {
        int at = a.offset() + off;
        if (a.base() != Reg.R10 || at % bytes == 0) {
            asm.load(size(bytes), dst, a.base(), at);
            return;
        }
        Reg tmp = dst == Reg.R0 ? Reg.R1 : Reg.R0;
        int half = bytes / 2;
        load(half, dst, a, off);
        load(half, tmp, a, off + half);
        asm.lsh(tmp, half * 8);
        asm.or(dst, tmp);
    }

    /** {@code dst} = the packet length; clobbers {@code scratch} on XDP. */
    void loadLength(Reg dst, Reg scratch) {
        if (target == Target.XDP) {
            asm.load(Size.W, dst, Reg.R6, target.dataEndOffset());
            asm.load(Size.W, scratch, Reg.R6, target.dataOffset());
            asm.sub(dst, scratch);
        } else {
            asm.load(Size.W, dst, Reg.R6, target.lengthOffset());
        }
    }

    static Size size(int bytes) {
        switch (bytes) {
            case 1:
                return Size.B;
            case 2:
                return Size.H;
            case 4:
                return Size.W;
            default:
                return Size.DW;
        }
    }

    @Override
    public void reparse() {
        if (lazy != null) {
            lazy.forget();
            lazy.loadEnd();
            return;
        }
        new Parser(this).emit();
    }

    /** What the lazy parser knows here (null without one), to {@link #restore} where branches join. */
    Set<Layer> known() {
        return lazy == null ? null : lazy.known();
    }

    /** Goes back to what was known at a dominating point (see {@link LazyParser}). */
    void restore(Set<Layer> known) {
        if (lazy != null) {
            lazy.restore(known);
        }
    }

    @Override
    public void exitWith(int verdict) {
        asm.mov(Reg.R0, verdict);
        asm.exit();
    }

    @Override
    public void declareMap(MapSpec spec) {
        MapSpec old = maps.putIfAbsent(spec.name(), spec);
        if (old != null && !old.equals(spec)) {
            throw new DslException("map '" + spec.name() + "' is used as " + describe(old) + " and as "
                    + describe(spec));
        }
    }

    /** Declares {@code spec}, or widens a map of the same name and shape to the larger capacity. */
    void declareGrowing(MapSpec spec) {
        MapSpec old = maps.get(spec.name());
        if (old != null && old.type() == spec.type() && old.keySize() == spec.keySize()
                && old.valueSize() == spec.valueSize() && old.flags() == spec.flags()) {
            maps.put(spec.name(), old.withMaxEntries(Math.max(old.maxEntries(), spec.maxEntries())));
        } else {
            declareMap(spec);
        }
    }

    private static String describe(MapSpec m) {
        return m.type() + " (key " + m.keySize() + ", value " + m.valueSize() + ", " + m.maxEntries() + " entries)";
    }

    @Override
    public void fillMap(String name, byte[] key, byte[] value) {
        if (!maps.containsKey(name)) {
            throw new DslException("fillMap: no map '" + name + "' is declared");
        }
        entries.add(new MapEntry(name, key, value));
    }

    // ---- for the compiler ----

    int slot(Layer layer) {
        return slots.get(layer);
    }

    int buffer(Layer layer) {
        return buffers.get(layer);
    }

    /** A 2-byte stack slot off the 8-byte grid: values stored there come back unknown to the verifier. */
    int launderSlot() {
        return launderSlot;
    }

    int extBuffer() {
        return extBuffer;
    }

    /** The 24-byte stack area LPM lookups build their keys in. */
    int lpmKey() {
        if (lpmKey == 0) {
            lpmKey = stack(24);
        }
        return lpmKey;
    }

    List<MapSpec> maps() {
        return List.copyOf(maps.values());
    }

    List<MapEntry> entries() {
        return List.copyOf(entries);
    }
}
