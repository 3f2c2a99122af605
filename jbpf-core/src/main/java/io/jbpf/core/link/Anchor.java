package io.jbpf.core.link;

import io.jbpf.core.prog.Program;
import java.util.Objects;

/**
 * Where a program goes among the others on a multi-program hook (TCX): first, last, or before or
 * after a given program or link, named by object or by kernel id. Maps to the kernel's
 * {@code BPF_F_BEFORE}/{@code BPF_F_AFTER}, {@code BPF_F_ID}, {@code BPF_F_LINK} and
 * {@code relative_fd}/{@code relative_id}.
 */
public final class Anchor {
    static final int F_BEFORE = 1 << 3;
    static final int F_AFTER = 1 << 4;
    static final int F_ID = 1 << 5;
    static final int F_LINK = 1 << 13;

    private static final Anchor NONE = new Anchor(0, null, null, 0, "default (last)");

    private final int flags;
    private final Program program;
    private final BpfLink link;
    private final int id;
    private final String description;

    private Anchor(int flags, Program program, BpfLink link, int id, String description) {
        this.flags = flags;
        this.program = program;
        this.link = link;
        this.id = id;
        this.description = description;
    }

    /** No ordering: the kernel appends. */
    public static Anchor none() {
        return NONE;
    }

    /** Before every other program. */
    public static Anchor first() {
        return new Anchor(F_BEFORE, null, null, 0, "first");
    }

    /** After every other program. */
    public static Anchor last() {
        return new Anchor(F_AFTER, null, null, 0, "last");
    }

    /** Right before {@code other}, which must be attached to the same hook. */
    public static Anchor before(Program other) {
        return new Anchor(F_BEFORE, Objects.requireNonNull(other), null, 0, "before program '" + other.name() + "'");
    }

    /** Right after {@code other}, which must be attached to the same hook. */
    public static Anchor after(Program other) {
        return new Anchor(F_AFTER, Objects.requireNonNull(other), null, 0, "after program '" + other.name() + "'");
    }

    /** Right before the program of {@code other}, a link on the same hook. */
    public static Anchor before(BpfLink other) {
        return new Anchor(F_BEFORE | F_LINK, null, Objects.requireNonNull(other), 0, "before " + other);
    }

    /** Right after the program of {@code other}, a link on the same hook. */
    public static Anchor after(BpfLink other) {
        return new Anchor(F_AFTER | F_LINK, null, Objects.requireNonNull(other), 0, "after " + other);
    }

    /** Right before the program with kernel id {@code programId}. */
    public static Anchor beforeProgramId(int programId) {
        return new Anchor(F_BEFORE | F_ID, null, null, programId, "before program id " + programId);
    }

    /** Right after the program with kernel id {@code programId}. */
    public static Anchor afterProgramId(int programId) {
        return new Anchor(F_AFTER | F_ID, null, null, programId, "after program id " + programId);
    }

    /** The {@code BPF_F_*} flags. */
    int flags() {
        return flags;
    }

    /** The relative fd or id the flags ask for (0 for first/last/none). */
    int relative() {
        if (program != null) {
            return program.fd();
        }
        if (link != null) {
            return link.fd();
        }
        return id;
    }

    @Override
    public String toString() {
        return description;
    }
}
