package io.jbpf.core.prog;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.VerifierException;
import io.jbpf.core.internal.sys.Bpf;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.BtfLoad;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.ObjectInfo;
import io.jbpf.core.internal.sys.Scratch;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.MapReferences;
import io.jbpf.core.insn.UnresolvedMapException;
import io.jbpf.core.map.KernelMap;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;

/** A program loaded into the kernel. Owns its fd; closing it unloads the program unless something else holds it (a link, a pin). */
public final class Program implements AutoCloseable {
    /** First verifier log buffer; grown when the kernel says it was too small. */
    static final int LOG_START = 64 * 1024;
    /** The kernel refuses log buffers above {@code UINT_MAX >> 2}. */
    static final int LOG_MAX = (int) ((0xFFFF_FFFFL >>> 2) & Integer.MAX_VALUE);

    private final Fd fd;
    private final String name;
    private final ProgramType type;
    private final int id;
    private final String verifierLog;

    private Program(Fd fd, String name, ProgramType type, int id, String verifierLog) {
        this.fd = fd;
        this.name = name;
        this.type = type;
        this.id = id;
        this.verifierLog = verifierLog;
    }

    /**
     * Loads {@code spec}. A program the verifier refuses throws {@link VerifierException} with
     * the whole log; other failures throw {@link BpfException}. A spec with symbolic map
     * references needs {@link #load(ProgramSpec, Map)}.
     */
    public static Program load(ProgramSpec spec) {
        return load(spec, 0);
    }

    /**
     * Loads {@code spec}, resolving each symbolic map reference ({@code r1 = map[name] ll}) to the
     * map of that name in {@code maps}.
     *
     * @throws UnresolvedMapException naming every reference {@code maps} does not hold
     */
    public static Program load(ProgramSpec spec, Map<String, ? extends KernelMap> maps) {
        return load(withMaps(spec, maps), 0);
    }

    /** Like {@link #load(ProgramSpec, Map)}, asking the verifier for a log at {@code logLevel}. */
    public static Program load(ProgramSpec spec, Map<String, ? extends KernelMap> maps, int logLevel) {
        return load(withMaps(spec, maps), logLevel);
    }

    private static ProgramSpec withMaps(ProgramSpec spec, Map<String, ? extends KernelMap> maps) {
        if (spec.mapReferences().isEmpty()) {
            return spec;
        }
        List<Insn> resolved = MapReferences.resolve(spec.instructions(), name -> {
            KernelMap m = maps.get(name);
            return m == null ? -1 : m.fd();
        });
        return spec.toBuilder().instructions(resolved).build();
    }

    /**
     * Loads {@code spec} asking the verifier for a log at {@code logLevel} (1 = instructions,
     * 2 = every state, 4 = statistics) that {@link #verifierLog()} returns.
     */
    public static Program load(ProgramSpec spec, int logLevel) {
        if (!spec.mapReferences().isEmpty()) {
            // fails with the typed exception that lists every unresolved reference
            MapReferences.resolve(spec.instructions(), name -> -1);
        }
        if (spec.btf().isEmpty()) {
            return load(spec, logLevel, null);
        }
        // the program keeps its own reference to the BTF: ours goes when loading is done
        try (Fd btf = BtfLoad.load(spec.btf().get().btf(), "BTF of program '" + spec.name() + "'")) {
            return load(spec, logLevel, btf);
        }
    }

    private static Program load(ProgramSpec spec, int logLevel, Fd btfFd) {
        NativeBuffer code = NativeBuffer.of(spec.code());
        ProgramBtf btf = spec.btf().orElse(null);
        NativeBuffer funcInfo = btf == null || btf.funcInfoCount() == 0 ? null : NativeBuffer.of(btf.funcInfo());
        NativeBuffer lineInfo = btf == null || btf.lineInfoCount() == 0 ? null : NativeBuffer.of(btf.lineInfo());
        NativeBuffer license = NativeBuffer.cString(spec.license());
        String what = "load program '" + spec.name() + "' (" + spec.type() + ")";
        int logSize = logLevel == 0 ? 0 : LOG_START;
        int level = logLevel;
        while (true) {
            NativeBuffer log = logSize == 0 ? null : NativeBuffer.allocate(logSize);
            NativeBuffer a = fill(spec, code, license, level, log);
            if (btfFd != null) {
                ByteBuffer b = a.buffer();
                b.putInt(BpfAttr.ProgLoad.PROG_BTF_FD, btfFd.get());
                if (funcInfo != null) {
                    b.putInt(BpfAttr.ProgLoad.FUNC_INFO_REC_SIZE, btf.funcInfoRecordSize());
                    b.putLong(BpfAttr.ProgLoad.FUNC_INFO, funcInfo.address());
                    b.putInt(BpfAttr.ProgLoad.FUNC_INFO_CNT, btf.funcInfoCount());
                }
                if (lineInfo != null) {
                    b.putInt(BpfAttr.ProgLoad.LINE_INFO_REC_SIZE, btf.lineInfoRecordSize());
                    b.putLong(BpfAttr.ProgLoad.LINE_INFO, lineInfo.address());
                    b.putInt(BpfAttr.ProgLoad.LINE_INFO_CNT, btf.lineInfoCount());
                }
            }
            long r = Bpf.tryCall(BpfCommand.PROG_LOAD, a, BpfAttr.ProgLoad.SIZE);
            if (r >= 0) {
                Fd fd = Fd.own((int) r, "program '" + spec.name() + "'");
                try {
                    String text = log == null ? "" : log.cStringAt(0, logSize);
                    return new Program(fd, spec.name(), spec.type(), ProgramInfo.of(fd).id(), text);
                } catch (RuntimeException e) {
                    fd.close();
                    throw e;
                }
            }
            Errno errno = Errno.of((int) -r);
            if (errno == Errno.ENOSPC && log != null && logSize < LOG_MAX) {
                int trueSize = a.buffer().getInt(BpfAttr.ProgLoad.LOG_TRUE_SIZE);
                logSize = (int) Math.min(LOG_MAX, Math.max(trueSize + 1L, logSize * 4L));
                continue;
            }
            if (log == null && (errno == Errno.EACCES || errno == Errno.EINVAL)) {
                // Load again with a log to say why; the first attempt runs without one to stay fast.
                level = 1;
                logSize = LOG_START;
                continue;
            }
            if (log != null && (errno == Errno.EACCES || errno == Errno.EINVAL)) {
                String text = log.cStringAt(0, logSize);
                if (!text.isBlank()) {
                    throw new VerifierException(spec.name(), errno, text);
                }
            }
            throw new BpfException(BpfCommand.PROG_LOAD, errno, what);
        }
    }

    private static NativeBuffer fill(ProgramSpec spec, NativeBuffer code, NativeBuffer license, int logLevel,
            NativeBuffer log) {
        NativeBuffer a = Bpf.attr(BpfAttr.ProgLoad.SIZE);
        ByteBuffer b = a.buffer();
        b.putInt(BpfAttr.ProgLoad.PROG_TYPE, spec.type().number());
        b.putInt(BpfAttr.ProgLoad.INSN_CNT, spec.instructionCount());
        b.putLong(BpfAttr.ProgLoad.INSNS, code.address());
        b.putLong(BpfAttr.ProgLoad.LICENSE, license.address());
        if (log != null) {
            b.putInt(BpfAttr.ProgLoad.LOG_LEVEL, logLevel);
            b.putInt(BpfAttr.ProgLoad.LOG_SIZE, log.size());
            b.putLong(BpfAttr.ProgLoad.LOG_BUF, log.address());
        }
        b.putInt(BpfAttr.ProgLoad.PROG_FLAGS, spec.flags());
        b.put(BpfAttr.ProgLoad.PROG_NAME, spec.name().getBytes(StandardCharsets.US_ASCII));
        b.putInt(BpfAttr.ProgLoad.PROG_IFINDEX, spec.ifindex());
        spec.expectedAttachType().ifPresent(t -> b.putInt(BpfAttr.ProgLoad.EXPECTED_ATTACH_TYPE, t.number()));
        if (spec.structOpsMember() >= 0) {
            b.putInt(BpfAttr.ProgLoad.EXPECTED_ATTACH_TYPE, spec.structOpsMember());
        }
        b.putInt(BpfAttr.ProgLoad.ATTACH_BTF_ID, spec.attachBtfId());
        return a;
    }

    /** Takes ownership of an fd that refers to a program. */
    public static Program adopt(Fd fd) {
        try {
            ProgramInfo info = ProgramInfo.of(fd);
            return new Program(fd, info.name(), info.type(), info.id(), "");
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Opens the program with kernel id {@code id}. */
    public static Program fromId(int id) {
        return adopt(ObjectInfo.byId(BpfCommand.PROG_GET_FD_BY_ID, id, "program id " + id));
    }

    /** Opens a program pinned in bpffs at {@code path}. */
    public static Program openPinned(String path) {
        return adopt(ObjectInfo.openPinned(path, "program"));
    }

    /** Runs the program once (or {@link TestRun#repeat} times) in the kernel over the given input. */
    public TestRunResult testRun(TestRun run) {
        // this thread's scratch buffers, not fresh direct buffers: those are freed only after a
        // collection, so every call touched new memory, and its page faults cost ~25 µs a call
        NativeBuffer dataIn = run.data() == null ? null : Scratch.copy(0, run.data());
        NativeBuffer dataOut = run.data() == null ? null : Scratch.get(1, run.dataOutSize());
        NativeBuffer ctxIn = run.context() == null ? null : Scratch.copy(2, run.context());
        // a context-only run (withContext) asks for no context out: the kernel writes it back into the input
        boolean contextOnly = run.context() != null && run.data() == null && run.contextOutSize() == 0;
        NativeBuffer ctxOut = run.context() == null || contextOnly ? null : Scratch.get(3, run.contextOutSize());
        NativeBuffer a = Bpf.attr(BpfAttr.TestRun.SIZE);
        ByteBuffer b = a.buffer();
        b.putInt(BpfAttr.TestRun.PROG_FD, fd.get());
        if (dataIn != null) {
            b.putInt(BpfAttr.TestRun.DATA_SIZE_IN, run.data().length);
            b.putLong(BpfAttr.TestRun.DATA_IN, dataIn.address());
            b.putInt(BpfAttr.TestRun.DATA_SIZE_OUT, run.dataOutSize());
            b.putLong(BpfAttr.TestRun.DATA_OUT, dataOut.address());
        }
        // the kernel refuses a context pointer with size 0, so an empty context is passed as none
        if (ctxIn != null && run.context().length > 0) {
            b.putInt(BpfAttr.TestRun.CTX_SIZE_IN, run.context().length);
            b.putLong(BpfAttr.TestRun.CTX_IN, ctxIn.address());
            if (ctxOut != null) {
                b.putInt(BpfAttr.TestRun.CTX_SIZE_OUT, run.contextOutSize());
                b.putLong(BpfAttr.TestRun.CTX_OUT, ctxOut.address());
            }
        }
        b.putInt(BpfAttr.TestRun.REPEAT, run.repeatCount());
        b.putInt(BpfAttr.TestRun.FLAGS, run.flagBits());
        b.putInt(BpfAttr.TestRun.CPU, run.cpuId());
        Bpf.call(BpfCommand.PROG_TEST_RUN, a, BpfAttr.TestRun.SIZE, "test run of program '" + name + "'");
        int dataLen = b.getInt(BpfAttr.TestRun.DATA_SIZE_OUT);
        int ctxLen = b.getInt(BpfAttr.TestRun.CTX_SIZE_OUT);
        return new TestRunResult(b.getInt(BpfAttr.TestRun.RETVAL), b.getInt(BpfAttr.TestRun.DURATION),
                dataOut == null ? new byte[0] : dataOut.toArray(dataLen),
                ctxOut != null ? ctxOut.toArray(ctxLen) : contextOnly ? ctxIn.toArray(run.context().length) : new byte[0]);
    }

    /**
     * Ties {@code map} to this program ({@code BPF_PROG_BIND_MAP}) although no instruction uses it,
     * so that it lives as long as the program and tools list it with the program's maps (libbpf binds
     * an object's {@code .rodata} this way, for the metadata it may carry).
     */
    public void bindMap(io.jbpf.core.map.KernelMap map) {
        NativeBuffer a = Bpf.attr(BpfAttr.Small.SIZE);
        a.buffer().putInt(BpfAttr.Small.PROG_BIND_MAP_PROG_FD, fd.get());
        a.buffer().putInt(BpfAttr.Small.PROG_BIND_MAP_MAP_FD, map.fd());
        Bpf.call(BpfCommand.PROG_BIND_MAP, a, BpfAttr.Small.SIZE, "bind map '" + map.spec().name() + "' to program '"
                + name + "'");
    }

    /** What the kernel says about this program (counts, tag, map ids, run statistics). */
    public ProgramInfo info() {
        return ProgramInfo.of(fd);
    }

    /** The instructions as the kernel rewrote them (map fds became ids), in host byte order. */
    public byte[] translatedCode() {
        return ProgramInfo.translatedCode(fd);
    }

    /** Pins the program at {@code path} in bpffs; it stays loaded until the pin is removed. */
    public void pin(String path) {
        ObjectInfo.pin(fd, path);
    }

    /** The verifier's log when loaded with a log level, else empty. */
    public String verifierLog() {
        return verifierLog;
    }

    public String name() {
        return name;
    }

    public ProgramType type() {
        return type;
    }

    /** The kernel's id. */
    public int id() {
        return id;
    }

    /** The fd number, for passing to other calls; the program keeps owning it. */
    public int fd() {
        return fd.get();
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "Program[" + name + ", " + type + ", id " + id + (fd.isClosed() ? ", closed" : "") + "]";
    }
}
