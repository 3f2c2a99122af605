package io.jbpf.core.testing;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.features.UnsupportedFeatureException;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.Sys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/** See {@link KernelTest}. */
public final class KernelExtension implements BeforeAllCallback, TestExecutionExceptionHandler {

    /** Whether skips for lack of a kernel must fail ({@code JBPF_REQUIRE_KERNEL=1}, set by CI). */
    public static boolean kernelRequired() {
        return "1".equals(System.getenv("JBPF_REQUIRE_KERNEL"));
    }

    /** Why bpf() cannot be used here, or null when it can. */
    static String whyNoKernel() {
        try {
            NativeBuffer a = NativeBuffer.allocate(BpfAttr.GetId.SIZE);
            long r = Sys.get().bpf(BpfCommand.PROG_GET_NEXT_ID.number(), a.address(), BpfAttr.GetId.SIZE);
            if (r >= 0 || r == -2 /* ENOENT: no programs, but bpf() works */) {
                return null;
            }
            return "bpf() fails with errno " + (-r) + (r == -1 ? " (EPERM: run as root)" : "");
        } catch (Throwable t) {
            return "bpf() cannot be called: " + t;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String why = whyNoKernel();
        if (why == null) {
            return;
        }
        if (kernelRequired()) {
            throw new AssertionError("JBPF_REQUIRE_KERNEL=1 but " + why);
        }
        throw new TestAbortedException("kernel test skipped: " + why);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        Throwable t = throwable;
        while (t != null && !(t instanceof UnsupportedFeatureException)) {
            t = t.getCause();
        }
        if (t == null) {
            throw throwable;
        }
        String line = "[Java " + Runtime.version().feature() + "] " + context.getRequiredTestClass().getName() + "#"
                + context.getDisplayName() + ": " + t.getMessage();
        record(line);
        throw new TestAbortedException("skipped, this kernel lacks a feature: " + t.getMessage(), t);
    }

    /** Appends a feature skip to {@code $JBPF_REPORT_DIR/jbpf-feature-skips.txt} for .ci/run to list. */
    private static synchronized void record(String line) {
        String dir = System.getenv("JBPF_REPORT_DIR");
        if (dir == null) {
            return;
        }
        try {
            Files.writeString(Path.of(dir, "jbpf-feature-skips.txt"), line + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot record feature skip: " + e);
        }
    }
}
