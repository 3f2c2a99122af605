package io.jbpf.core.internal.sys;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the {@link Syscalls} backend once per process: FFM on Java 22+ (shipped in the
 * multi-release part of the jar), JNA otherwise. The system property {@code jbpf.backend}
 * ({@code ffm} or {@code jna}) forces one.
 */
public final class Sys {

    private static final String FFM_CLASS = "io.jbpf.core.internal.sys.FfmSyscalls";

    private Sys() {}

    private static final class Holder {
        static final Syscalls INSTANCE = choose(System.getProperty("jbpf.backend", ""));
    }

    /** The backend of this process. */
    public static Syscalls get() {
        return Holder.INSTANCE;
    }

    /** Every backend this JVM can run, the preferred one first (for tests and benchmarks). */
    public static List<Syscalls> available() {
        List<Syscalls> all = new ArrayList<>();
        Syscalls ffm = ffm();
        if (ffm != null) {
            all.add(ffm);
        }
        all.add(new JnaSyscalls());
        return all;
    }

    /** A backend by name, or an exception saying why this JVM cannot run it. */
    public static Syscalls named(String name) {
        switch (name) {
            case "jna":
                return new JnaSyscalls();
            case "ffm":
                Syscalls ffm = ffm();
                if (ffm == null) {
                    throw new UnsupportedOperationException("the FFM backend needs Java 22 or later and the "
                            + "multi-release jbpf-core jar; this is Java " + Runtime.version().feature());
                }
                return ffm;
            default:
                throw new IllegalArgumentException("unknown jbpf.backend '" + name + "': use ffm or jna");
        }
    }

    private static Syscalls choose(String forced) {
        if (!forced.isEmpty()) {
            return named(forced);
        }
        Syscalls ffm = ffm();
        return ffm != null ? ffm : new JnaSyscalls();
    }

    private static Syscalls ffm() {
        if (Runtime.version().feature() < 22) {
            return null;
        }
        try {
            return (Syscalls) Class.forName(FFM_CLASS).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("the FFM backend is present but does not start", e);
        }
    }
}
