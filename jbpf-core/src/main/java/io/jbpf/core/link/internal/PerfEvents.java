package io.jbpf.core.link.internal;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.JbpfException;
import io.jbpf.core.features.UnsupportedFeatureException;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.PerfEventAttr;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.link.PerfAttachMethod;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** perf_event_open for probes and tracepoints, and attaching a program to the event. */
public final class PerfEvents {
    private static final Path PMU_DIR = Path.of("/sys/bus/event_source/devices");
    private static final Pattern CONFIG_BIT = Pattern.compile("config:(\\d+)");

    /** A perf event fd and, when attached through {@code BPF_LINK_CREATE}, the link fd. */
    public record Attached(Fd perfEvent, Fd link) {}

    private PerfEvents() {}

    /** The dynamic PMU type of {@code pmu} ("kprobe", "uprobe"); missing means the kernel lacks it. */
    public static int pmuType(String pmu, String feature, String since) {
        Path type = PMU_DIR.resolve(pmu).resolve("type");
        if (!Files.exists(type)) {
            throw new UnsupportedFeatureException(feature + " (no perf PMU " + PMU_DIR.resolve(pmu) + ")", since);
        }
        try {
            return Integer.parseInt(Files.readString(type).strip());
        } catch (IOException | NumberFormatException e) {
            throw new JbpfException("cannot read " + type + ": " + e, e);
        }
    }

    /** The config bit that makes a {@code pmu} probe a return probe, from {@code format/retprobe}. */
    public static long retprobeBit(String pmu) {
        Path f = PMU_DIR.resolve(pmu).resolve("format").resolve("retprobe");
        try {
            Matcher m = CONFIG_BIT.matcher(Files.readString(f));
            if (m.find()) {
                return 1L << Integer.parseInt(m.group(1));
            }
            throw new JbpfException("cannot parse " + f);
        } catch (IOException e) {
            throw new JbpfException("cannot read " + f + " (return probes need it): " + e, e);
        }
    }

    /** A zeroed {@code perf_event_attr} of {@code type} and {@code config}, sampling every event. */
    public static NativeBuffer attr(int type, long config) {
        NativeBuffer a = NativeBuffer.allocate(PerfEventAttr.SIZE);
        ByteBuffer b = a.buffer();
        b.putInt(PerfEventAttr.TYPE, type);
        b.putInt(PerfEventAttr.SIZE_FIELD, PerfEventAttr.SIZE);
        b.putLong(PerfEventAttr.CONFIG, config);
        b.putLong(PerfEventAttr.SAMPLE_PERIOD, 1);
        b.putInt(PerfEventAttr.WAKEUP_EVENTS, 1);
        return a;
    }

    /**
     * {@code perf_event_open(attr, pid, cpu, -1, CLOEXEC)}: for {@code pid} -1 every process (on
     * CPU 0, which for probes and tracepoints still fires on every CPU), else that process on any CPU.
     * Returns the fd, or {@code -errno}.
     */
    public static int tryOpen(NativeBuffer attr, int pid) {
        int r = Sys.get().perfEventOpen(attr.address(), pid, pid == -1 ? 0 : -1, -1, PerfEventAttr.FLAG_FD_CLOEXEC);
        Reference.reachabilityFence(attr);
        return r;
    }

    /** Owns an fd from {@link #tryOpen}, or throws for its error. */
    public static Fd own(int r, String what) {
        if (r < 0) {
            throw new BpfException("perf_event_open", Errno.of(-r), what);
        }
        return Fd.own(r, "perf event (" + what + ")");
    }

    /** Attaches {@code program} to {@code perf} (which this call then owns, closing it on failure). */
    public static Attached attach(Program program, Fd perf, PerfAttachMethod method, long cookie, String what) {
        try {
            int progFd = program.fd();
            boolean useLink = method == PerfAttachMethod.BPF_LINK
                    || method == PerfAttachMethod.AUTO && KernelVersion.atLeast(AttachType.PERF_EVENT.since());
            if (useLink) {
                Fd link = LinkFds.create(progFd, perf.get(), AttachType.PERF_EVENT, 0,
                        b -> b.putLong(io.jbpf.core.internal.sys.BpfAttr.LinkCreate.PERF_EVENT_BPF_COOKIE, cookie),
                        "perf event links", false, what);
                return new Attached(perf, link);
            }
            if (cookie != 0) {
                throw new IllegalArgumentException("a BPF cookie needs a perf event link (Linux 5.15), not the ioctls");
            }
            int r = Sys.get().ioctl(perf.get(), PerfEventAttr.IOC_SET_BPF, progFd);
            if (r < 0) {
                throw new BpfException("ioctl(PERF_EVENT_IOC_SET_BPF)", Errno.of(-r), what);
            }
            r = Sys.get().ioctl(perf.get(), PerfEventAttr.IOC_ENABLE, 0);
            if (r < 0) {
                throw new BpfException("ioctl(PERF_EVENT_IOC_ENABLE)", Errno.of(-r), what);
            }
            return new Attached(perf, null);
        } catch (RuntimeException e) {
            perf.close();
            throw e;
        }
    }

    /** Detaches an ioctl attachment before its fd is closed (closing alone also detaches). */
    public static void disable(Fd perf) {
        Sys.get().ioctl(perf.get(), PerfEventAttr.IOC_DISABLE, 0);
    }
}
