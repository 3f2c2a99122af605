package io.jbpf.core.link;

import io.jbpf.core.JbpfException;
import io.jbpf.core.internal.sys.PerfEventAttr;
import io.jbpf.core.link.internal.PerfEvents;
import io.jbpf.core.link.internal.Tracefs;
import io.jbpf.core.prog.Program;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A program (type TRACEPOINT) on a kernel tracepoint, through a {@code PERF_TYPE_TRACEPOINT} perf
 * event with the tracepoint's id from tracefs ({@code events/<category>/<name>/id}; Linux 4.7).
 * Needs tracefs mounted (usually at {@code /sys/kernel/tracing}).
 */
public final class TracepointLink extends PerfEventLink {
    private TracepointLink(PerfEvents.Attached a, String description) {
        super(a, description);
    }

    /** Attaches {@code program} to tracepoint {@code category:name}, e.g. {@code syscalls:sys_enter_getpid}. */
    public static TracepointLink attach(Program program, String category, String name) {
        return attach(program, category, name, PerfAttachMethod.AUTO);
    }

    /** Attaches {@code program} to tracepoint {@code category:name} by {@code method}. */
    public static TracepointLink attach(Program program, String category, String name, PerfAttachMethod method) {
        if (category.isEmpty() || name.isEmpty() || category.contains("/") || name.contains("/")
                || category.startsWith(".") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a tracepoint: '" + category + ":" + name + "'");
        }
        program.fd();
        Path idFile = Tracefs.root().resolve("events").resolve(category).resolve(name).resolve("id");
        if (!Files.exists(idFile)) {
            throw new AttachTargetNotFoundException("tracepoint", category + ":" + name,
                    "no " + idFile + " (the kernel has no such tracepoint; see " + Tracefs.root() + "/available_events)");
        }
        long id;
        try {
            id = Long.parseLong(Files.readString(idFile).strip());
        } catch (IOException | NumberFormatException e) {
            throw new JbpfException("cannot read tracepoint id from " + idFile + ": " + e, e);
        }
        String what = "attach program '" + program.name() + "' to tracepoint " + category + ":" + name;
        int r = PerfEvents.tryOpen(PerfEvents.attr(PerfEventAttr.TYPE_TRACEPOINT, id), -1);
        return new TracepointLink(PerfEvents.attach(program, PerfEvents.own(r, what), method, 0, what),
                "tracepoint " + category + ":" + name + ", program '" + program.name() + "'");
    }
}
