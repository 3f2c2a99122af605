package io.jbpf.core.link;

import io.jbpf.core.BpfException;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.link.internal.ElfSymbols;
import io.jbpf.core.link.internal.LinkFds;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One program (type KPROBE, loaded with expected attach type {@code TRACE_UPROBE_MULTI}) on many
 * functions of one binary at once ({@code BPF_LINK_CREATE} with {@code BPF_TRACE_UPROBE_MULTI};
 * Linux 6.6).
 */
public final class UprobeMultiLink extends BpfLink {
    private static final int F_RETURN = 1;

    private final Path binary;

    private UprobeMultiLink(Fd fd, Path binary) {
        super(fd);
        this.binary = binary;
    }

    /** Attaches {@code program} at the entry of every function in {@code symbols} of {@code binary}, in every process. */
    public static UprobeMultiLink attach(Program program, Path binary, List<String> symbols) {
        return attach(program, binary, symbols, false, -1);
    }

    /**
     * Attaches {@code program} to the entry (or with {@code retprobe} the return) of every function
     * in {@code symbols} of {@code binary}, in process {@code pid} or every process ({@code -1}).
     */
    public static UprobeMultiLink attach(Program program, Path binary, List<String> symbols, boolean retprobe, int pid) {
        if (symbols.isEmpty()) {
            throw new IllegalArgumentException("uprobe_multi needs at least one symbol");
        }
        long[] offsets = new long[symbols.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = ElfSymbols.offsetOf(binary, symbols.get(i));
        }
        return attachOffsets(program, binary, offsets, retprobe, pid);
    }

    /** Attaches {@code program} at the file {@code offsets} of {@code binary}. */
    public static UprobeMultiLink attachOffsets(Program program, Path binary, long[] offsets, boolean retprobe, int pid) {
        if (offsets.length == 0) {
            throw new IllegalArgumentException("uprobe_multi needs at least one offset");
        }
        if (!Files.isRegularFile(binary)) {
            throw new AttachTargetNotFoundException("binary", binary.toString(), "no such file");
        }
        int progFd = program.fd();
        String what = "attach program '" + program.name() + "' to " + (retprobe ? "uretprobe" : "uprobe") + "_multi "
                + binary + " (" + offsets.length + " offsets)" + (pid >= 0 ? " in pid " + pid : "");
        NativeBuffer path = NativeBuffer.cString(binary.toAbsolutePath().toString());
        NativeBuffer offs = NativeBuffer.allocate(8 * offsets.length);
        for (int i = 0; i < offsets.length; i++) {
            offs.buffer().putLong(8 * i, offsets[i]);
        }
        try {
            Fd fd = LinkFds.create(progFd, 0, AttachType.TRACE_UPROBE_MULTI, 0, b -> {
                b.putLong(BpfAttr.LinkCreate.UPROBE_MULTI_PATH, path.address());
                b.putLong(BpfAttr.LinkCreate.UPROBE_MULTI_OFFSETS, offs.address());
                b.putInt(BpfAttr.LinkCreate.UPROBE_MULTI_CNT, offsets.length);
                b.putInt(BpfAttr.LinkCreate.UPROBE_MULTI_FLAGS, retprobe ? F_RETURN : 0);
                b.putInt(BpfAttr.LinkCreate.UPROBE_MULTI_PID, Math.max(pid, 0));
            }, "uprobe_multi links (the kernel needs CONFIG_UPROBES)", true, what);
            return new UprobeMultiLink(fd, binary);
        } catch (BpfException e) {
            throw new AttachException(e, e.errno() == io.jbpf.core.Errno.ESRCH ? "no process " + pid
                    : "check that the program was loaded with expected attach type TRACE_UPROBE_MULTI");
        } finally {
            Reference.reachabilityFence(path);
            Reference.reachabilityFence(offs);
        }
    }

    /** The binary probed. */
    public Path binary() {
        return binary;
    }
}
