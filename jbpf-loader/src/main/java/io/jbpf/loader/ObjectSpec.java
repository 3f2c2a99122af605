package io.jbpf.loader;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfExt;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.loader.elf.ElfFile;
import io.jbpf.loader.elf.ElfSection;
import io.jbpf.loader.elf.ElfSymbol;
import io.jbpf.loader.internal.BtfMapDefinitions;
import io.jbpf.loader.internal.CoreRelocator;
import io.jbpf.loader.internal.Externs;
import io.jbpf.loader.internal.KernelBtfCache;
import io.jbpf.loader.internal.LegacyMapDefinitions;
import io.jbpf.loader.internal.ProgramBtfBuilder;
import io.jbpf.loader.internal.ProgramLinker;
import io.jbpf.loader.internal.StructOpsSections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything an object file built by clang asks for, as plain specs: its programs (one per global
 * function of a program section, with {@code .text} subprograms linked in), its maps (from the BTF
 * of {@code .maps}) and its global data ({@code .data}, {@code .rodata}, {@code .bss} and their
 * named variants, each an array map of one element). Nothing touches the kernel until
 * {@link BpfObject#load(ObjectSpec)}. Immutable.
 */
public final class ObjectSpec {
    private final Map<String, ProgramSpec> programs;
    private final Map<String, MapSpec> maps;
    private final Map<String, byte[]> initialValues;
    private final Set<String> readOnly;
    private final Set<String> pinnedByName;
    private final Map<String, String> sections;
    private final Map<String, Variable> variables;
    private final Map<String, Map<Integer, String>> slots;
    private final Map<String, StructOpsSections.Definition> structOps;
    private final Optional<Btf> btf;

    private ObjectSpec(Map<String, ProgramSpec> programs, Map<String, MapSpec> maps, Map<String, byte[]> initialValues,
            Set<String> readOnly, Set<String> pinnedByName, Map<String, String> sections, Map<String, Variable> variables,
            Map<String, Map<Integer, String>> slots, Map<String, StructOpsSections.Definition> structOps,
            Optional<Btf> btf) {
        this.programs = Collections.unmodifiableMap(programs);
        this.maps = Collections.unmodifiableMap(maps);
        this.initialValues = Collections.unmodifiableMap(initialValues);
        this.readOnly = Collections.unmodifiableSet(readOnly);
        this.pinnedByName = Collections.unmodifiableSet(pinnedByName);
        this.sections = Collections.unmodifiableMap(sections);
        this.variables = Collections.unmodifiableMap(variables);
        this.slots = Collections.unmodifiableMap(slots);
        this.structOps = Collections.unmodifiableMap(structOps);
        this.btf = btf;
    }

    /** Reads the object file at {@code path}. */
    public static ObjectSpec open(Path path) {
        try {
            return open(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** Reads an object file's bytes. */
    public static ObjectSpec open(byte[] bytes) {
        ElfFile elf = ElfFile.parse(bytes);
        if (elf.machine() != ElfFile.EM_BPF) {
            throw new LoaderException("not an eBPF object: ELF machine " + elf.machine() + " (eBPF is " + ElfFile.EM_BPF + ")");
        }
        Optional<Btf> btf = elf.section(".BTF").map(s -> Btf.parse(elf.bytes(s)));
        String license = elf.section("license").map(s -> cString(elf.bytes(s))).orElse("");

        Map<String, MapSpec> maps = new LinkedHashMap<>();
        Map<String, int[]> btfTypes = new LinkedHashMap<>();
        Set<String> pinnedByName = new TreeSet<>();
        Map<String, Integer> valuesOffsets = new LinkedHashMap<>();
        int mapsSection = elf.section(".maps").map(ElfSection::index).orElse(-1);
        if (mapsSection >= 0) {
            if (btf.isEmpty()) {
                throw new LoaderException("the object has a .maps section but no .BTF to describe it (compile with -g)");
            }
            BtfMapDefinitions.read(btf.get()).forEach((name, d) -> {
                maps.put(name, d.spec());
                if (d.valueTypeId() != 0) {
                    btfTypes.put(name, new int[] {d.keyTypeId(), d.valueTypeId()});
                }
                if (d.pinByName()) {
                    pinnedByName.add(name);
                }
                if (d.valuesOffset() >= 0) {
                    valuesOffsets.put(name, d.valuesOffset());
                }
            });
        }
        int legacyMaps = elf.section("maps").map(ElfSection::index).orElse(-1);
        if (legacyMaps >= 0) {
            maps.putAll(LegacyMapDefinitions.read(elf, elf.sections().get(legacyMaps)));
        }

        Map<Integer, String> dataMaps = new LinkedHashMap<>();
        Map<String, byte[]> initial = new LinkedHashMap<>();
        Set<String> readOnly = new TreeSet<>();
        for (ElfSection s : elf.sections()) {
            if (!isGlobalData(s)) {
                continue;
            }
            boolean rodata = s.name().startsWith(".rodata");
            MapSpec spec = MapSpec.of(io.jbpf.loader.internal.MapNames.kernelName(s.name()), MapType.ARRAY, 4, (int) s.size(), 1)
                    .withFlags(rodata ? MapFlags.RDONLY_PROG : 0);
            maps.put(s.name(), spec);
            dataMaps.put(s.index(), s.name());
            initial.put(s.name(), s.hasBytes() ? elf.bytes(s) : new byte[(int) s.size()]);
            if (rodata) {
                readOnly.add(s.name());
            }
        }

        Optional<BtfExt> ext = btf.flatMap(b -> elf.section(".BTF.ext").map(s -> BtfExt.parse(elf.bytes(s), b)));
        Map<String, Map<Integer, CoreRelocator.Patch>> core = coreRelocations(elf, btf, ext);
        Map<String, Boolean> weak = new LinkedHashMap<>();
        for (ElfSymbol sym : elf.symbols()) {
            if (sym.undefined() && !sym.name().isEmpty()) {
                weak.put(sym.name(), sym.binding() == ElfSymbol.STB_WEAK);
            }
        }
        Externs externs = btf.map(b -> Externs.resolve(b, weak)).orElse(null);
        if (externs != null && externs.hasKconfig()) {
            byte[] value = externs.kconfigValue();
            maps.put(Externs.KCONFIG_MAP, MapSpec.of(Externs.KCONFIG_MAP, MapType.ARRAY, 4, value.length, 1)
                    .withFlags(MapFlags.RDONLY_PROG));
            initial.put(Externs.KCONFIG_MAP, value);
            readOnly.add(Externs.KCONFIG_MAP);
        }
        ProgramLinker linker = new ProgramLinker(elf, java.util.stream.IntStream.of(mapsSection, legacyMaps)
                .filter(i -> i >= 0).boxed().collect(java.util.stream.Collectors.toSet()), dataMaps, core, externs);
        Optional<ProgramBtfBuilder> programBtf = btf.flatMap(b -> ext.map(x -> new ProgramBtfBuilder(elf, b, x, externs)));
        if (programBtf.isPresent()) {
            // maps carry their key and value types (global data: its DATASEC), as libbpf creates them
            byte[] raw = programBtf.get().fixedBtf();
            for (String data : dataMaps.values()) {
                int id = programBtf.get().datasecId(data);
                if (id != 0) {
                    btfTypes.put(data, new int[] {0, id});
                }
            }
            btfTypes.forEach((name, ids) -> maps.computeIfPresent(name,
                    (k, m) -> m.withBtf(new io.jbpf.core.map.MapBtf(raw, ids[0], ids[1]))));
        }
        Map<String, StructOpsSections.Definition> structOps = StructOpsSections.read(elf, btf.orElse(null));
        Map<String, int[]> structOpsMembers = structOpsMaps(structOps, maps);
        Map<String, ProgramSpec> programs = new LinkedHashMap<>();
        Map<String, String> sections = new LinkedHashMap<>();
        for (ElfSymbol sym : elf.symbols()) {
            if (sym.type() != ElfSymbol.STT_FUNC || sym.binding() != ElfSymbol.STB_GLOBAL || sym.undefined()
                    || sym.sectionIndex() >= elf.sections().size()) {
                continue;
            }
            ElfSection section = elf.sections().get(sym.sectionIndex());
            if (!section.executable() || section.name().equals(".text")) {
                continue;
            }
            ProgramSection kind = ProgramSection.of(section.name());
            ProgramLinker.Linked linked = linker.link(section, sym);
            ProgramSpec.Builder b = ProgramSpec.builder(programName(sym.name()), kind.type())
                    .instructions(linked.instructions())
                    .license(license.isEmpty() ? "GPL" : license);
            programBtf.ifPresent(p -> b.btf(p.build(linked.placements())));
            kind.attachType().ifPresent(b::expectedAttachType);
            if (kind.type() == io.jbpf.core.prog.ProgramType.STRUCT_OPS) {
                int[] member = structOpsMembers.get(sym.name());
                if (member == null) {
                    throw new LoaderException("program '" + sym.name() + "' of section '" + section.name()
                            + "' implements no member of a struct_ops variable (SEC(\".struct_ops\") or"
                            + " SEC(\".struct_ops.link\")) of the object");
                }
                b.structOpsMember(member[0], member[1]);
            }
            programs.put(sym.name(), b.build());
            sections.put(sym.name(), section.name());
        }
        Map<String, Variable> variables = new LinkedHashMap<>();
        for (ElfSymbol sym : elf.symbols()) {
            if (sym.type() == ElfSymbol.STT_OBJECT && sym.sectionIndex() > 0 && sym.sectionIndex() < elf.sections().size()
                    && dataMaps.containsKey(sym.sectionIndex())) {
                variables.put(sym.name(), new Variable(sym.name(), dataMaps.get(sym.sectionIndex()), (int) sym.value(),
                        (int) sym.size()));
            }
        }
        Map<String, Map<Integer, String>> slots = mapsSection < 0 ? Map.of()
                : initialSlots(elf, elf.sections().get(mapsSection), valuesOffsets);
        return new ObjectSpec(programs, maps, initial, readOnly, pinnedByName, sections, variables, slots, structOps, btf);
    }

    /**
     * Adds a STRUCT_OPS map per struct_ops variable, laid out by the kernel's BTF, and returns for
     * each function implementing a member: the kernel struct's BTF id and the member's index.
     */
    private static Map<String, int[]> structOpsMaps(Map<String, StructOpsSections.Definition> structOps,
            Map<String, MapSpec> maps) {
        Map<String, int[]> members = new LinkedHashMap<>();
        if (structOps.isEmpty()) {
            return members;
        }
        Btf kernel = KernelBtfCache.get().orElseThrow(() -> new LoaderException("struct_ops variables "
                + structOps.keySet() + " need the kernel's BTF (/sys/kernel/btf/vmlinux), which this kernel does not have"));
        for (StructOpsSections.Definition d : structOps.values()) {
            io.jbpf.core.map.StructOpsValue v = structOpsValue(kernel, d);
            maps.put(d.variable(), v.mapSpec(io.jbpf.loader.internal.MapNames.kernelName(d.variable()), d.link()));
            d.programs().forEach((member, function) -> members.put(function,
                    new int[] {v.structTypeId(), v.memberIndex(member)}));
        }
        return members;
    }

    /** The kernel value of struct_ops variable {@code d}, with its data members set (programs come at load). */
    static io.jbpf.core.map.StructOpsValue structOpsValue(Btf kernel, StructOpsSections.Definition d) {
        try {
            io.jbpf.core.map.StructOpsValue v = io.jbpf.core.map.StructOpsValue.of(kernel, d.structName());
            d.programs().keySet().forEach(v::memberIndex);
            d.data().forEach(v::data);
            return v;
        } catch (IllegalArgumentException e) {
            throw new LoaderException("struct_ops variable '" + d.variable() + "': " + e.getMessage(), e);
        }
    }

    /**
     * The {@code .values} of map definitions: each relocation in {@code .maps} that lands in a map's
     * {@code values} array names what goes in that slot (a program, or for maps of maps an inner map).
     */
    private static Map<String, Map<Integer, String>> initialSlots(ElfFile elf, ElfSection maps,
            Map<String, Integer> valuesOffsets) {
        Map<String, Map<Integer, String>> slots = new LinkedHashMap<>();
        for (io.jbpf.loader.elf.ElfRelocation r : elf.relocations(maps)) {
            ElfSymbol map = elf.symbols().stream().filter(s -> s.sectionIndex() == maps.index()
                    && s.type() == ElfSymbol.STT_OBJECT && r.offset() >= s.value() && r.offset() < s.value() + s.size())
                    .findFirst().orElseThrow(() -> new LoaderException("relocation at offset " + r.offset()
                            + " of .maps lies in no map"));
            Integer values = valuesOffsets.get(map.name());
            long at = r.offset() - map.value() - (values == null ? 0 : values);
            if (values == null || at < 0 || at % 8 != 0) {
                throw new LoaderException("map '" + map.name() + "' has a relocation at byte " + (r.offset() - map.value())
                        + " of its definition, outside its .values");
            }
            slots.computeIfAbsent(map.name(), k -> new java.util.TreeMap<>()).put((int) (at / 8), r.symbol().name());
        }
        return slots;
    }

    /** CO-RE patches of every executable section against the running kernel's BTF (parsed once per process). */
    private static Map<String, Map<Integer, CoreRelocator.Patch>> coreRelocations(ElfFile elf, Optional<Btf> btf,
            Optional<BtfExt> ext) {
        Map<String, Map<Integer, CoreRelocator.Patch>> core = new LinkedHashMap<>();
        if (ext.isEmpty()) {
            return core;
        }
        CoreRelocator relocator = null;
        for (ElfSection s : elf.sections()) {
            List<BtfExt.CoreRelo> relos = ext.get().coreRelos(s.name());
            if (relos.isEmpty() || !s.executable()) {
                continue;
            }
            if (relocator == null) {
                Btf kernel = KernelBtfCache.get().orElseThrow(() -> new LoaderException("section '" + s.name()
                        + "' has CO-RE relocations, but this kernel has no BTF (/sys/kernel/btf/vmlinux)"));
                relocator = new CoreRelocator(btf.get(), kernel, KernelBtfCache::modules);
            }
            core.put(s.name(), relocator.patches(s.name(), relos));
        }
        return core;
    }

    private static boolean isGlobalData(ElfSection s) {
        String n = s.name();
        boolean named = n.equals(".data") || n.equals(".rodata") || n.equals(".bss") || n.startsWith(".data.")
                || n.startsWith(".rodata.") || n.startsWith(".bss.");
        return named && (s.flags() & ElfSection.SHF_ALLOC) != 0 && s.size() > 0;
    }

    /** Kernel program names are at most 15 characters. */
    private static String programName(String symbol) {
        return symbol.length() <= 15 ? symbol : symbol.substring(0, 15);
    }

    private static String cString(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** Programs by function name, in symbol table order. */
    public Map<String, ProgramSpec> programs() {
        return programs;
    }

    /** Maps by name: those of {@code .maps}, then one per global data section. */
    public Map<String, MapSpec> maps() {
        return maps;
    }

    /** The initial contents of global data maps (a copy), by map name. */
    public Optional<byte[]> initialValue(String map) {
        byte[] v = initialValues.get(map);
        return v == null ? Optional.empty() : Optional.of(Arrays.copyOf(v, v.length));
    }

    /** Whether {@code map} is read-only data ({@code .rodata}): frozen once its initial value is written. */
    public boolean readOnly(String map) {
        return readOnly.contains(map);
    }

    /** Whether {@code map} asks to be pinned by its name ({@code LIBBPF_PIN_BY_NAME}) and shared through the pin. */
    public boolean pinnedByName(String map) {
        return pinnedByName.contains(map);
    }

    /** The ELF section program {@code program} came from ({@code xdp}, {@code tracepoint/syscalls/sys_enter_getpid}). */
    public String section(String program) {
        String s = sections.get(program);
        if (s == null) {
            throw new LoaderException("the object has no program '" + program + "'; it has " + sections.keySet());
        }
        return s;
    }

    /** The global variables ({@code .data}, {@code .rodata}, {@code .bss} and their named variants), by name. */
    public Map<String, Variable> variables() {
        return variables;
    }

    /** The variable {@code name}. */
    public Variable variable(String name) {
        Variable v = variables.get(name);
        if (v == null) {
            throw new LoaderException("the object has no global variable '" + name + "'; it has " + variables.keySet());
        }
        return v;
    }

    /**
     * This spec with variable {@code name} starting as {@code value} (its exact size, in the
     * object's byte order) — the way to set {@code const volatile} configuration in {@code .rodata}
     * before load, which the verifier then treats as constants.
     */
    public ObjectSpec withVariable(String name, byte[] value) {
        Variable v = variable(name);
        if (value.length != v.size()) {
            throw new IllegalArgumentException("variable '" + name + "' is " + v.size() + " bytes, not " + value.length);
        }
        Map<String, byte[]> initial = new LinkedHashMap<>(initialValues);
        byte[] section = initial.get(v.section()).clone();
        System.arraycopy(value, 0, section, v.offset(), value.length);
        initial.put(v.section(), section);
        return new ObjectSpec(programs, maps, initial, readOnly, pinnedByName, sections, variables, slots, structOps, btf);
    }

    /**
     * Initial slots of maps whose definition fills its {@code .values}: map → slot → the name of a
     * program (program arrays) or of a map of the object (maps of maps).
     */
    public Map<String, Map<Integer, String>> initialSlots() {
        return slots;
    }

    /**
     * The objects of this spec inside {@code vm}: in-memory maps with their initial contents and
     * the programs loaded into the VM ({@link VmObject#load(ObjectSpec, io.jbpf.core.vm.Vm)}).
     */
    public VmObject toVm(io.jbpf.core.vm.Vm vm) {
        return VmObject.load(this, vm);
    }

    /** The struct_ops variables (each a STRUCT_OPS map of {@link #maps()}), by name. */
    Map<String, StructOpsSections.Definition> structOps() {
        return structOps;
    }

    /** The object's BTF, if it has any. */
    public Optional<Btf> btf() {
        return btf;
    }
}
