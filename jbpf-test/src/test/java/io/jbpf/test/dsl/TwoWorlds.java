package io.jbpf.test.dsl;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.map.RawMap;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.prog.TestRunResult;
import io.jbpf.core.vm.Engine;
import io.jbpf.core.vm.RunResult;
import io.jbpf.core.vm.SkbContext;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.VmProgram;
import io.jbpf.core.vm.XdpContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The same maps and TC programs twice: in the kernel (run with BPF_PROG_TEST_RUN) and in the VM
 * (each engine), so a differential test feeds both the same packets and compares.
 */
final class TwoWorlds implements AutoCloseable {
    private static final HexFormat HEX = HexFormat.of();
    final Map<String, KernelMap> kernelMaps = new HashMap<>();
    final Map<Engine, Map<String, MemoryMap>> vmMaps = new HashMap<>();
    private final Map<String, Program> kernelProgs = new HashMap<>();
    private final Map<Engine, Map<String, VmProgram>> vmProgs = new HashMap<>();
    private final Map<String, Boolean> isXdp = new HashMap<>();

    /** One packet's outcome. */
    record Outcome(long verdict, String packet) {}

    TwoWorlds(List<MapSpec> specs) {
        try {
            for (MapSpec s : specs) {
                kernelMaps.put(s.name(), KernelMap.create(s));
            }
            for (Engine e : Engine.values()) {
                Map<String, MemoryMap> m = new HashMap<>();
                for (MapSpec s : specs) {
                    m.put(s.name(), MemoryMap.create(s));
                }
                vmMaps.put(e, m);
            }
        } catch (RuntimeException ex) {
            close();
            throw ex;
        }
    }

    /** Every map set: the kernel's and each engine's, to configure them alike. */
    List<Map<String, ? extends RawMap>> allMapSets() {
        List<Map<String, ? extends RawMap>> all = new ArrayList<>();
        all.add(kernelMaps);
        all.addAll(vmMaps.values());
        return all;
    }

    /** Loads {@code spec} into the kernel (the verifier must accept it) and into the VM. */
    void load(ProgramSpec spec) {
        kernelProgs.put(spec.name(), Program.load(spec, kernelMaps));
        isXdp.put(spec.name(), spec.type() == io.jbpf.core.prog.ProgramType.XDP);
        for (Engine e : Engine.values()) {
            vmProgs.computeIfAbsent(e, k -> new HashMap<>())
                    .put(spec.name(), Vm.builder().engine(e).build().load(spec, vmMaps.get(e)));
        }
    }

    /** Runs {@code name} on {@code packet} in the kernel. */
    Outcome kernel(String name, byte[] packet) {
        TestRunResult r = kernelProgs.get(name).testRun(TestRun.withData(packet).dataOutSize(4096));
        return new Outcome(r.returnValue(), HEX.formatHex(r.data()));
    }

    /** Runs {@code name} on {@code packet} in the VM with engine {@code e} (an XDP or a TC context, as the program). */
    Outcome vm(Engine e, String name, byte[] packet) {
        RunResult r = vmProgs.get(e).get(name).run(isXdp.get(name) ? XdpContext.of(packet) : SkbContext.tc(packet));
        return new Outcome((int) r.returnValue(), HEX.formatHex(r.data()));
    }

    /** The entries of {@code map} as sorted "key=value" hex strings. */
    static TreeSet<String> entries(RawMap map) {
        TreeSet<String> out = new TreeSet<>();
        byte[] key = null;
        byte[] next = new byte[map.spec().keySize()];
        byte[] value = new byte[map.valueBufferSize()];
        while (map.nextKey(key, next)) {
            if (map.lookup(next, value)) {
                out.add(HEX.formatHex(next) + "=" + HEX.formatHex(value));
            }
            key = next.clone();
        }
        return out;
    }

    @Override
    public void close() {
        kernelProgs.values().forEach(Program::close);
        kernelMaps.values().forEach(KernelMap::close);
        vmMaps.values().forEach(m -> m.values().forEach(MemoryMap::close));
    }
}
