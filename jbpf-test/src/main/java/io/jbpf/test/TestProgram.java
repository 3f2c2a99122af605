package io.jbpf.test;

import io.jbpf.core.asm.AsmParser;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.MapReference;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A program to test, as a plain value: its {@link ProgramSpec} and the {@link MapSpec}s of the
 * maps it refers to by name ({@code r1 = map[counts] ll}). Nothing is created until
 * {@link BpfProgramUnderTest#load} (or {@link BpfTest}) loads it on an engine; every load gets
 * fresh, empty maps.
 *
 * <pre>{@code
 * static TestProgram counter() {
 *     return TestProgram.assemble("counter", ProgramType.XDP, """
 *             r1 = map[counts] ll
 *             ...
 *             """, MapSpec.of("counts", MapType.ARRAY, 4, 8, 256));
 * }
 * }</pre>
 *
 * <p>Supported program types: {@link ProgramType#XDP}, {@link ProgramType#SCHED_CLS},
 * {@link ProgramType#SCHED_ACT} and {@link ProgramType#SOCKET_FILTER} (those whose packet runs the
 * VM and the kernel's test run give the same way).
 */
public final class TestProgram {
    private final ProgramSpec spec;
    private final Map<String, MapSpec> maps;

    private TestProgram(ProgramSpec spec, Map<String, MapSpec> maps) {
        this.spec = spec;
        this.maps = maps;
    }

    /**
     * The program {@code spec} with these maps.
     *
     * @throws IllegalArgumentException if the program type is not supported, two maps share a
     *         name, or the program refers to a map not given
     */
    public static TestProgram of(ProgramSpec spec, MapSpec... maps) {
        return of(spec, List.of(maps));
    }

    /** As {@link #of(ProgramSpec, MapSpec...)}, with a list of maps. */
    public static TestProgram of(ProgramSpec spec, List<MapSpec> maps) {
        Objects.requireNonNull(spec, "spec");
        if (!supported(spec.type())) {
            throw new IllegalArgumentException("program '" + spec.name() + "' is a " + spec.type()
                    + " program; the test kit runs XDP, SCHED_CLS, SCHED_ACT and SOCKET_FILTER programs");
        }
        Map<String, MapSpec> byName = new LinkedHashMap<>();
        for (MapSpec m : maps) {
            if (byName.put(m.name(), m) != null) {
                throw new IllegalArgumentException("program '" + spec.name() + "': two maps named '" + m.name() + "'");
            }
        }
        for (MapReference ref : spec.mapReferences()) {
            if (!byName.containsKey(ref.mapName())) {
                throw new IllegalArgumentException("program '" + spec.name() + "' uses map '" + ref.mapName()
                        + "', which was not given (maps given: " + byName.keySet() + ")");
            }
        }
        return new TestProgram(spec, Map.copyOf(byName));
    }

    /** A program of {@code type} made of {@code instructions} (e.g. from the assembler), GPL-licensed. */
    public static TestProgram of(String name, ProgramType type, List<? extends Insn> instructions, MapSpec... maps) {
        return of(ProgramSpec.builder(name, type).instructions(instructions).license("GPL").build(), maps);
    }

    /**
     * A program of {@code type} from assembly text in the syntax of {@link AsmParser}, GPL-licensed.
     *
     * @throws io.jbpf.core.asm.AssemblerException naming the line of a syntax error
     */
    public static TestProgram assemble(String name, ProgramType type, String assembly, MapSpec... maps) {
        return of(name, type, AsmParser.parse(assembly), maps);
    }

    /** This program with one more map. */
    public TestProgram withMap(MapSpec map) {
        List<MapSpec> all = new ArrayList<>(maps.values());
        all.add(map);
        return of(spec, all);
    }

    /** The program. */
    public ProgramSpec spec() {
        return spec;
    }

    /** Its name. */
    public String name() {
        return spec.name();
    }

    /** Its type. */
    public ProgramType type() {
        return spec.type();
    }

    /** The maps, by name. */
    public Map<String, MapSpec> maps() {
        return maps;
    }

    static boolean supported(ProgramType type) {
        return type == ProgramType.XDP || type == ProgramType.SCHED_CLS || type == ProgramType.SCHED_ACT
                || type == ProgramType.SOCKET_FILTER;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TestProgram t && t.spec.equals(spec) && t.maps.equals(maps);
    }

    @Override
    public int hashCode() {
        return 31 * spec.hashCode() + maps.hashCode();
    }

    @Override
    public String toString() {
        return "TestProgram[" + spec + ", maps " + maps.keySet() + "]";
    }
}
