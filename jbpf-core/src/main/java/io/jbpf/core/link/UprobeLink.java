package io.jbpf.core.link;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.PerfEventAttr;
import io.jbpf.core.link.internal.ElfSymbols;
import io.jbpf.core.link.internal.PerfEvents;
import io.jbpf.core.prog.Program;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A program (type KPROBE) on a user-space function's entry (uprobe) or return (uretprobe), through
 * the uprobe perf PMU ({@code /sys/bus/event_source/devices/uprobe}; Linux 4.17). The function is
 * named by its symbol in the ELF file (looked up in {@code .symtab} / {@code .dynsym}) or by file
 * offset. It fires in every process that runs that file, or in one process.
 */
public final class UprobeLink extends PerfEventLink {
    private static final String FEATURE = "uprobes";
    private static final String SINCE = "4.17";

    private UprobeLink(PerfEvents.Attached a, String description) {
        super(a, description);
    }

    /** Attaches {@code program} at the entry of {@code symbol} in {@code binary}, in every process. */
    public static UprobeLink attach(Program program, Path binary, String symbol) {
        return attachAtOffset(program, binary, ElfSymbols.offsetOf(binary, symbol), false, -1, PerfAttachMethod.AUTO);
    }

    /** Attaches {@code program} to the return of {@code symbol} in {@code binary}, in every process. */
    public static UprobeLink attachReturn(Program program, Path binary, String symbol) {
        return attachAtOffset(program, binary, ElfSymbols.offsetOf(binary, symbol), true, -1, PerfAttachMethod.AUTO);
    }

    /**
     * Attaches {@code program} at file {@code offset} of {@code binary} (or to the return of the
     * function there, with {@code retprobe}), in process {@code pid} or every process ({@code -1}).
     */
    public static UprobeLink attachAtOffset(Program program, Path binary, long offset, boolean retprobe, int pid,
            PerfAttachMethod method) {
        program.fd();
        if (!Files.isRegularFile(binary)) {
            throw new AttachTargetNotFoundException("binary", binary.toString(), "no such file");
        }
        int type = PerfEvents.pmuType("uprobe", FEATURE, SINCE);
        long config = retprobe ? PerfEvents.retprobeBit("uprobe") : 0;
        String what = "attach program '" + program.name() + "' to " + (retprobe ? "uretprobe " : "uprobe ")
                + binary + ":0x" + Long.toHexString(offset) + (pid >= 0 ? " in pid " + pid : "");
        NativeBuffer path = NativeBuffer.cString(binary.toAbsolutePath().toString());
        NativeBuffer attr = PerfEvents.attr(type, config);
        attr.buffer().putLong(PerfEventAttr.CONFIG1, path.address());
        attr.buffer().putLong(PerfEventAttr.CONFIG2, offset);
        int r = PerfEvents.tryOpen(attr, pid);
        Reference.reachabilityFence(path);
        if (r < 0) {
            Errno e = Errno.of(-r);
            if (e == Errno.ESRCH) {
                throw new AttachTargetNotFoundException("process", Integer.toString(pid), "no such process");
            }
            throw new AttachException(new BpfException("perf_event_open", e, what),
                    e == Errno.EINVAL ? "the offset must be inside the file, at an instruction" : "");
        }
        return new UprobeLink(PerfEvents.attach(program, PerfEvents.own(r, what), method, 0, what),
                (retprobe ? "uretprobe " : "uprobe ") + binary + ":0x" + Long.toHexString(offset)
                        + ", program '" + program.name() + "'");
    }
}
