package io.jbpf.test.internal;

import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.map.RawMap;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.vm.Context;
import io.jbpf.core.vm.Engine;
import io.jbpf.core.vm.RunResult;
import io.jbpf.core.vm.SkbContext;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.VmProgram;
import io.jbpf.core.vm.XdpContext;
import io.jbpf.test.BpfEngine;
import io.jbpf.test.EngineUnavailableException;
import io.jbpf.test.RunOptions;
import io.jbpf.test.TestProgram;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a program in the VM over in-memory maps. Not API. */
public final class VmRunner implements ProgramRunner {
    private final ProgramType type;
    private final VmProgram program;
    private final Map<String, MemoryMap> maps;

    private VmRunner(ProgramType type, VmProgram program, Map<String, MemoryMap> maps) {
        this.type = type;
        this.program = program;
        this.maps = maps;
    }

    /**
     * Loads {@code program} on {@code engine}.
     *
     * @throws EngineUnavailableException when the engine is not in this build
     */
    public static VmRunner load(TestProgram program, BpfEngine engine) {
        Engine vmEngine = engine.vmEngine().orElseThrow(() -> new IllegalArgumentException(engine + " is no VM engine"));
        Map<String, MemoryMap> maps = new LinkedHashMap<>();
        for (MapSpec spec : program.maps().values()) {
            maps.put(spec.name(), MemoryMap.create(spec));
        }
        try {
            VmProgram p = Vm.builder().engine(vmEngine).build().load(program.spec(), maps);
            return new VmRunner(program.type(), p, maps);
        } catch (UnsupportedOperationException e) {
            maps.values().forEach(MemoryMap::close);
            if (engine == BpfEngine.JIT) {
                throw new EngineUnavailableException(engine, String.valueOf(e.getMessage()), e);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            maps.values().forEach(MemoryMap::close);
            throw e;
        }
    }

    @Override
    public Result run(byte[] packet, RunOptions o) {
        Context ctx;
        switch (type) {
            case XDP:
                // the kernel's test run receives on loopback unless told otherwise: xdp_md.ingress_ifindex is 1
                ctx = new XdpContext(packet, o.ingressIfindex() == 0 ? 1 : o.ingressIfindex(), o.rxQueueIndex());
                break;
            case SOCKET_FILTER:
                ctx = new SkbContext(packet, true, o.mark(), o.priority(), o.ingressIfindex(), o.ifindex());
                break;
            default:
                ctx = new SkbContext(packet, false, o.mark(), o.priority(), o.ingressIfindex(), o.ifindex());
                break;
        }
        RunResult r = program.run(ctx);
        return new Result(r.verdict(), r.data(), r.context(), r.redirectIfindex(), r.trace());
    }

    @Override
    public Map<String, RawMap> maps() {
        return Map.copyOf(maps);
    }

    @Override
    public void close() {
        maps.values().forEach(MemoryMap::close);
    }
}
