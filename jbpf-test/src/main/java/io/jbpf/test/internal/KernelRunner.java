package io.jbpf.test.internal;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.RawMap;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.prog.TestRunResult;
import io.jbpf.test.BpfEngine;
import io.jbpf.test.EngineUnavailableException;
import io.jbpf.test.RunOptions;
import io.jbpf.test.TestProgram;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a program in the kernel with {@code BPF_PROG_TEST_RUN}, over kernel maps, giving it the
 * context the VM builds for the same {@link RunOptions}. Not API.
 */
public final class KernelRunner implements ProgramRunner {
    /** {@code sizeof(struct __sk_buff)}. */
    private static final int SKB_SIZE = 192;
    /** {@code sizeof(struct xdp_md)}. */
    private static final int XDP_MD_SIZE = 24;

    private final ProgramType type;
    private final Program program;
    private final Map<String, KernelMap> maps;

    private KernelRunner(ProgramType type, Program program, Map<String, KernelMap> maps) {
        this.type = type;
        this.program = program;
        this.maps = maps;
    }

    /**
     * Creates the maps and loads {@code program}; nothing stays open when this fails.
     *
     * @throws EngineUnavailableException when bpf() cannot be used here
     * @throws io.jbpf.core.VerifierException when the verifier refuses the program
     */
    public static KernelRunner load(TestProgram program) {
        String why = KernelAccess.whyUnavailable();
        if (why != null) {
            throw new EngineUnavailableException(BpfEngine.KERNEL, why, null);
        }
        Map<String, KernelMap> maps = new LinkedHashMap<>();
        try {
            for (MapSpec spec : program.maps().values()) {
                maps.put(spec.name(), KernelMap.create(spec));
            }
            Program p = Program.load(program.spec(), maps);
            return new KernelRunner(program.type(), p, maps);
        } catch (BpfException e) {
            closeAll(maps);
            if (e.errno() == Errno.EPERM && !(e instanceof io.jbpf.core.VerifierException)) {
                throw new EngineUnavailableException(BpfEngine.KERNEL, KernelAccess.reason(e), e);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            closeAll(maps);
            throw e;
        }
    }

    @Override
    public Result run(byte[] packet, RunOptions o) {
        TestRun run = TestRun.withData(packet).dataOutSize(4096);
        boolean skb = type != ProgramType.XDP;
        if (skb) {
            byte[] ctx = new byte[SKB_SIZE];
            ByteBuffer.wrap(ctx).order(ByteOrder.LITTLE_ENDIAN).putInt(8, o.mark()).putInt(32, o.priority())
                    .putInt(36, o.ingressIfindex()).putInt(40, o.ifindex());
            run = run.context(ctx);
        } else if (o.ingressIfindex() != 0 || o.rxQueueIndex() != 0) {
            // data 0, data_end = the packet's length, no metadata: the only xdp_md the test run takes
            byte[] ctx = new byte[XDP_MD_SIZE];
            ByteBuffer.wrap(ctx).order(ByteOrder.LITTLE_ENDIAN).putInt(4, packet.length).putInt(12, o.ingressIfindex())
                    .putInt(16, o.rxQueueIndex());
            run = run.context(ctx);
        }
        TestRunResult r = program.testRun(run);
        return new Result(r.returnValue(), r.data(), skb ? r.context() : new byte[0], -1, List.of());
    }

    @Override
    public Map<String, RawMap> maps() {
        return Map.copyOf(maps);
    }

    @Override
    public void close() {
        try {
            program.close();
        } finally {
            closeAll(maps);
        }
    }

    private static void closeAll(Map<String, KernelMap> maps) {
        for (KernelMap m : maps.values()) {
            m.close();
        }
    }
}
