package io.jbpf.loader;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfFeatures;
import io.jbpf.core.btf.BtfSanitizer;
import io.jbpf.core.btf.BtfWriter;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.link.KprobeLink;
import io.jbpf.core.link.Link;
import io.jbpf.core.link.RawTracepointLink;
import io.jbpf.core.link.TracepointLink;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapBtf;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramBtf;
import io.jbpf.core.prog.ProgramSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The live objects of an {@link ObjectSpec}: its maps, created and filled with their initial
 * values (read-only data frozen), and its programs, loaded with their map references resolved.
 * Owns them all: {@link #close()} closes every program and map. Loading is all or nothing: on any
 * failure what was created is closed again and the exception says what failed.
 */
public final class BpfObject implements AutoCloseable {
    /** Where maps pinned by name live unless {@link #load(ObjectSpec, Path)} says otherwise. */
    public static final Path DEFAULT_PIN_ROOT = Path.of("/sys/fs/bpf");

    private final ObjectSpec spec;
    private final Map<String, KernelMap> maps;
    private final Map<String, Program> programs;
    private final List<Link> links = new ArrayList<>();

    private BpfObject(ObjectSpec spec, Map<String, KernelMap> maps, Map<String, Program> programs) {
        this.spec = spec;
        this.maps = Collections.unmodifiableMap(maps);
        this.programs = Collections.unmodifiableMap(programs);
    }

    /** Creates the maps and loads the programs of {@code spec}; maps pinned by name live in {@link #DEFAULT_PIN_ROOT}. */
    public static BpfObject load(ObjectSpec spec) {
        return load(spec, DEFAULT_PIN_ROOT);
    }

    /**
     * Creates the maps and loads the programs of {@code spec}. A map the object pins by name
     * ({@code LIBBPF_PIN_BY_NAME}) is opened from {@code pinRoot/NAME} when a compatible one is
     * pinned there (so programs of several objects share it), else created and pinned there.
     */
    public static BpfObject load(ObjectSpec spec, Path pinRoot) {
        return load(spec, pinRoot, io.jbpf.core.features.Features.btf());
    }

    /**
     * Loads {@code spec} as for a kernel that takes the BTF kinds {@code btfFeatures} says: the BTF
     * of every map and program is rewritten without the others first ({@link BtfSanitizer}), and
     * without {@code FUNC} programs go without func and line info, as libbpf does.
     */
    static BpfObject load(ObjectSpec spec, Path pinRoot, BtfFeatures btfFeatures) {
        Map<String, KernelMap> maps = new LinkedHashMap<>();
        Map<String, Program> programs = new LinkedHashMap<>();
        // an object's maps and programs share one BTF: rewritten once
        Map<java.nio.ByteBuffer, byte[]> sanitized = new java.util.HashMap<>();
        java.util.function.UnaryOperator<byte[]> sanitize = raw -> sanitized.computeIfAbsent(java.nio.ByteBuffer.wrap(raw),
                r -> BtfWriter.write(BtfSanitizer.sanitize(Btf.parse(raw).types(), btfFeatures),
                        java.nio.ByteOrder.nativeOrder()));
        try {
            for (Map.Entry<String, MapSpec> entry : spec.maps().entrySet()) {
                MapSpec ms = sizedForThisMachine(entry.getValue());
                if (!btfFeatures.all() && ms.btf() != null) {
                    ms = ms.withBtf(new MapBtf(sanitize.apply(ms.btf().btf()), ms.btf().keyTypeId(), ms.btf().valueTypeId()));
                }
                Map.Entry<String, MapSpec> e = Map.entry(entry.getKey(), ms);
                Path pin = pinRoot.resolve(e.getKey());
                boolean byName = spec.pinnedByName(e.getKey());
                if (byName && Files.exists(pin)) {
                    maps.put(e.getKey(), KernelMap.openPinned(pin.toString(), e.getValue()));
                    continue;
                }
                KernelMap m = create(e.getValue());
                maps.put(e.getKey(), m);
                if (byName) {
                    m.pin(pin.toString());
                }
                Optional<byte[]> initial = spec.initialValue(e.getKey());
                if (initial.isPresent()) {
                    m.update(new byte[4], initial.get(), MapFlags.ANY);
                    if (spec.readOnly(e.getKey())) {
                        m.freeze();
                    }
                }
            }
            spec.programs().forEach((name, p) -> {
                ProgramSpec ps = withAttachTarget(name, spec.section(name), p);
                if (!btfFeatures.all() && p.btf().isPresent()) {
                    ProgramBtf b = p.btf().get();
                    byte[] raw = sanitize.apply(b.btf());
                    ps = p.toBuilder().btf(btfFeatures.func()
                            ? new ProgramBtf(raw, b.funcInfo(), b.funcInfoRecordSize(), b.lineInfo(), b.lineInfoRecordSize())
                            : new ProgramBtf(raw, new byte[0], b.funcInfoRecordSize(), new byte[0], b.lineInfoRecordSize()))
                            .build();
                }
                programs.put(name, Program.load(ps, maps));
            });
            spec.initialSlots().forEach((map, slots) -> slots.forEach((slot, target) -> {
                KernelMap outer = maps.get(map);
                boolean ofMaps = outer.spec().type() == io.jbpf.core.map.MapType.ARRAY_OF_MAPS
                        || outer.spec().type() == io.jbpf.core.map.MapType.HASH_OF_MAPS;
                int fd;
                if (ofMaps) {
                    KernelMap inner = maps.get(target);
                    if (inner == null) {
                        throw new LoaderException("map '" + map + "' slot " + slot + " names '" + target
                                + "', which is no map of the object");
                    }
                    fd = inner.fd();
                } else {
                    Program p = programs.get(target);
                    if (p == null) {
                        throw new LoaderException("map '" + map + "' slot " + slot + " names '" + target
                                + "', which is no program of the object");
                    }
                    fd = p.fd();
                }
                byte[] key = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(slot).array();
                byte[] value = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(fd).array();
                try {
                    outer.update(key, value, MapFlags.ANY);
                } catch (io.jbpf.core.BpfException e) {
                    throw new LoaderException("map '" + map + "' slot " + slot + ": cannot put '" + target + "' there: "
                            + e.getMessage(), e);
                }
            }));
            writeStructOps(spec, maps, programs);
            KernelMap rodata = maps.get(".rodata");
            if (rodata != null) {
                // as libbpf does: read-only data stays with every program (and shows in their map ids)
                programs.values().forEach(p -> p.bindMap(rodata));
            }
            return new BpfObject(spec, maps, programs);
        } catch (RuntimeException e) {
            unregisterStructOps(spec, maps);
            programs.values().forEach(Fd::closeQuietly);
            maps.values().forEach(Fd::closeQuietly);
            throw e;
        }
    }

    /**
     * Writes each struct_ops map's value: its data and the fds of the programs now loaded. A map of
     * {@code .struct_ops} is registered with the kernel by this write (and unregistered at
     * {@link #close()}); one of {@code .struct_ops.link} waits for {@link #attachStructOps}.
     */
    private static void writeStructOps(ObjectSpec spec, Map<String, KernelMap> maps, Map<String, Program> programs) {
        if (spec.structOps().isEmpty()) {
            return;
        }
        Btf kernel = io.jbpf.loader.internal.KernelBtfCache.get().orElseThrow();
        spec.structOps().forEach((name, d) -> {
            io.jbpf.core.map.StructOpsValue v = ObjectSpec.structOpsValue(kernel, d);
            d.programs().forEach((member, function) -> v.program(member, programs.get(function)));
            try {
                maps.get(name).update(new byte[4], v.value(), MapFlags.ANY);
            } catch (io.jbpf.core.BpfException e) {
                throw new LoaderException("struct_ops map '" + name + "' (struct " + d.structName() + "): the kernel"
                        + " refused its value" + (d.link() ? "" : " (registering it)") + ": " + e.getMessage()
                        + (e.errno() == io.jbpf.core.Errno.EEXIST ? " — a struct of that name is registered already" : "")
                        + (e.errno() == io.jbpf.core.Errno.EINVAL ? " — is a member the kernel requires missing?" : ""), e);
            }
        });
    }

    /**
     * Program {@code p} of {@code section} with the kernel BTF id of what it attaches to, which
     * tracing and LSM programs must give at load, found as libbpf finds it (at load, so that an
     * object whose target this kernel lacks still opens): {@code fentry/F}, {@code fexit/F},
     * {@code fmod_ret/F}: the function F; {@code tp_btf/T}: the typedef {@code btf_trace_T};
     * {@code lsm/H}: {@code bpf_lsm_H}; {@code iter/I}: {@code bpf_iter_I}. Only vmlinux is
     * searched: a target in a module is not found (loading a program against a module's BTF
     * would need its BTF object's fd).
     */
    static ProgramSpec withAttachTarget(String name, String section, ProgramSpec p) {
        if (p.attachBtfId() != 0 || (p.type() != io.jbpf.core.prog.ProgramType.TRACING
                && p.type() != io.jbpf.core.prog.ProgramType.LSM)) {
            return p;
        }
        ProgramSection kind = ProgramSection.of(section);
        io.jbpf.core.prog.AttachType at = kind.attachType().orElse(null);
        String prefix = at == io.jbpf.core.prog.AttachType.TRACE_RAW_TP ? "btf_trace_"
                : at == io.jbpf.core.prog.AttachType.LSM_MAC ? "bpf_lsm_"
                : at == io.jbpf.core.prog.AttachType.TRACE_ITER ? "bpf_iter_" : "";
        io.jbpf.core.btf.BtfKind btfKind = at == io.jbpf.core.prog.AttachType.TRACE_RAW_TP
                ? io.jbpf.core.btf.BtfKind.TYPEDEF : io.jbpf.core.btf.BtfKind.FUNC;
        if (kind.target().isEmpty()) {
            throw new LoaderException("program '" + name + "' of section '" + section + "' names no kernel "
                    + (btfKind == io.jbpf.core.btf.BtfKind.TYPEDEF ? "tracepoint" : "function") + " to attach to");
        }
        String target = prefix + kind.target();
        Btf kernel = io.jbpf.loader.internal.KernelBtfCache.get().orElseThrow(() -> new LoaderException("program '"
                + name + "' of section '" + section + "' needs the kernel's BTF (/sys/kernel/btf/vmlinux), "
                + "which this kernel does not have"));
        int id = kernel.find(btfKind, target).map(io.jbpf.core.btf.BtfType::id).orElseThrow(() -> new LoaderException(
                "program '" + name + "' of section '" + section + "': the kernel's BTF has no " + btfKind + " '"
                + target + "' to attach to"));
        return p.toBuilder().attachBtfId(id).build();
    }

    /**
     * {@code spec} as libbpf creates it on this machine: a perf event array that gives no
     * {@code max_entries} (the usual {@code SEC(".maps")} definition of one, without
     * {@code __uint(max_entries, ...)}) gets one entry per possible CPU.
     */
    static MapSpec sizedForThisMachine(MapSpec spec) {
        if (spec.type() == io.jbpf.core.map.MapType.PERF_EVENT_ARRAY && spec.maxEntries() == 0) {
            return spec.withMaxEntries(io.jbpf.core.internal.sys.Cpus.possible());
        }
        return spec;
    }

    /** Creates a map with its BTF; a map type the kernel takes no BTF for is created again without, as libbpf does. */
    private static KernelMap create(MapSpec spec) {
        try {
            return KernelMap.create(spec);
        } catch (io.jbpf.core.BpfException e) {
            if (spec.btf() == null || (e.errno() != io.jbpf.core.Errno.EINVAL && e.errno() != io.jbpf.core.Errno.ENOTSUPP)) {
                throw e;
            }
            return KernelMap.create(new MapSpec(spec.name(), spec.type(), spec.keySize(), spec.valueSize(),
                    spec.maxEntries(), spec.flags(), spec.innerMap(), spec.numaNode(), spec.mapExtra(), null,
                    spec.kernelValueTypeId()));
        }
    }

    /** The current bytes of global variable {@code name}, read from its section's map. */
    public byte[] readVariable(String name) {
        Variable v = spec.variable(name);
        KernelMap m = map(v.section());
        byte[] section = new byte[m.valueBufferSize()];
        m.lookup(new byte[4], section);
        return java.util.Arrays.copyOfRange(section, v.offset(), v.offset() + v.size());
    }

    /**
     * Writes global variable {@code name} in its section's map (read, change, write back: not atomic
     * against programs writing the same section). Read-only data is frozen: writing it throws EPERM.
     */
    public synchronized void writeVariable(String name, byte[] value) {
        Variable v = spec.variable(name);
        if (value.length != v.size()) {
            throw new IllegalArgumentException("variable '" + name + "' is " + v.size() + " bytes, not " + value.length);
        }
        KernelMap m = map(v.section());
        byte[] section = new byte[m.valueBufferSize()];
        m.lookup(new byte[4], section);
        System.arraycopy(value, 0, section, v.offset(), value.length);
        m.update(new byte[4], section, MapFlags.ANY);
    }

    /** The program of function {@code name}. */
    public Program program(String name) {
        Program p = programs.get(name);
        if (p == null) {
            throw new LoaderException("the object has no program '" + name + "'; it has " + programs.keySet());
        }
        return p;
    }

    /** The map {@code name} ({@code .data}, {@code .bss}, ... for global data). */
    public KernelMap map(String name) {
        KernelMap m = maps.get(name);
        if (m == null) {
            throw new LoaderException("the object has no map '" + name + "'; it has " + maps.keySet());
        }
        return m;
    }

    public Map<String, Program> programs() {
        return programs;
    }

    public Map<String, KernelMap> maps() {
        return maps;
    }

    /**
     * Attaches program {@code name} where its section name says, as libbpf's auto-attach does:
     * {@code tracepoint/CAT/NAME} (or {@code tp/}), {@code raw_tp/NAME} (or {@code raw_tracepoint/}),
     * {@code kprobe/FUNC}, {@code kretprobe/FUNC}. The link belongs to this object and is closed
     * with it. Sections without a target ({@code xdp}, {@code tc}, cgroup hooks) need the link
     * classes with an interface or cgroup.
     */
    public synchronized Link attach(String name) {
        Program p = program(name);
        String section = spec.section(name);
        Link link;
        if (section.startsWith("tracepoint/") || section.startsWith("tp/")) {
            String[] parts = section.substring(section.indexOf('/') + 1).split("/", 2);
            if (parts.length != 2) {
                throw new LoaderException("section '" + section + "' should be tracepoint/CATEGORY/NAME");
            }
            link = TracepointLink.attach(p, parts[0], parts[1]);
        } else if (section.startsWith("raw_tp/") || section.startsWith("raw_tracepoint/")) {
            link = RawTracepointLink.attach(p, section.substring(section.indexOf('/') + 1));
        } else if (section.startsWith("kprobe/")) {
            link = KprobeLink.attach(p, section.substring("kprobe/".length()));
        } else if (section.startsWith("kretprobe/")) {
            link = KprobeLink.attachReturn(p, section.substring("kretprobe/".length()));
        } else {
            throw new LoaderException("program '" + name + "' of section '" + section + "' names no target to attach "
                    + "to; attach it with the io.jbpf.core.link classes (XdpLink, TcxLink, CgroupLink, ...)");
        }
        links.add(link);
        return link;
    }

    /** Unregisters the struct_ops maps of section {@code .struct_ops} (deleting their value), as libbpf does on destroy. */
    private static void unregisterStructOps(ObjectSpec spec, Map<String, KernelMap> maps) {
        spec.structOps().forEach((name, d) -> {
            KernelMap m = maps.get(name);
            if (!d.link() && m != null) {
                try {
                    m.delete(new byte[4]);
                } catch (RuntimeException e) {
                    // never written, or closed already: nothing is registered
                }
            }
        });
    }

    /**
     * Registers struct_ops variable {@code name} of section {@code .struct_ops.link} (e.g. a TCP
     * congestion control) with the kernel through a link, which this object owns and closes (a
     * variable of {@code .struct_ops} was registered at load).
     */
    public synchronized io.jbpf.core.link.StructOpsLink attachStructOps(String name) {
        io.jbpf.loader.internal.StructOpsSections.Definition d = spec.structOps().get(name);
        if (d == null) {
            throw new LoaderException("the object has no struct_ops variable '" + name + "'; it has "
                    + spec.structOps().keySet());
        }
        if (!d.link()) {
            throw new LoaderException("struct_ops variable '" + name + "' is in section .struct_ops: it was registered"
                    + " at load; only those of .struct_ops.link attach through a link");
        }
        io.jbpf.core.link.StructOpsLink link = io.jbpf.core.link.StructOpsLink.attach(map(name));
        links.add(link);
        return link;
    }

    @Override
    public synchronized void close() {
        links.forEach(Fd::closeQuietly);
        unregisterStructOps(spec, maps);
        programs.values().forEach(Fd::closeQuietly);
        maps.values().forEach(Fd::closeQuietly);
    }
}
