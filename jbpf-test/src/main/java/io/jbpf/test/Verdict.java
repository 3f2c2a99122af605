package io.jbpf.test;

import io.jbpf.core.prog.ProgramType;

/**
 * The named return values of XDP and TC programs, for {@code hasVerdict(XDP_DROP)} and for
 * readable messages. Socket filters return how many bytes to keep (0 drops); see
 * {@link #describe(ProgramType, int)}.
 */
public enum Verdict {
    XDP_ABORTED(Family.XDP, 0),
    XDP_DROP(Family.XDP, 1),
    XDP_PASS(Family.XDP, 2),
    XDP_TX(Family.XDP, 3),
    XDP_REDIRECT(Family.XDP, 4),
    TC_ACT_UNSPEC(Family.TC, -1),
    TC_ACT_OK(Family.TC, 0),
    TC_ACT_RECLASSIFY(Family.TC, 1),
    TC_ACT_SHOT(Family.TC, 2),
    TC_ACT_PIPE(Family.TC, 3),
    TC_ACT_STOLEN(Family.TC, 4),
    TC_ACT_QUEUED(Family.TC, 5),
    TC_ACT_REPEAT(Family.TC, 6),
    TC_ACT_REDIRECT(Family.TC, 7),
    TC_ACT_TRAP(Family.TC, 8);

    /** The program types a verdict belongs to. */
    public enum Family {
        /** XDP programs ({@code enum xdp_action}). */
        XDP,
        /** TC classifiers and actions ({@code TC_ACT_*}). */
        TC,
        /** Socket filters: the number of bytes to keep. */
        SOCKET_FILTER;

        /** The family of {@code type}'s return values. */
        public static Family of(ProgramType type) {
            switch (type) {
                case XDP:
                    return XDP;
                case SCHED_CLS:
                case SCHED_ACT:
                    return TC;
                case SOCKET_FILTER:
                    return SOCKET_FILTER;
                default:
                    throw new IllegalArgumentException("no verdicts known for " + type + " programs");
            }
        }
    }

    private final Family family;
    private final int value;

    Verdict(Family family, int value) {
        this.family = family;
        this.value = value;
    }

    /** The program types this verdict is for. */
    public Family family() {
        return family;
    }

    /** The number the program returns. */
    public int value() {
        return value;
    }

    /** The verdict {@code value} means for {@code family}, or null when it has no name. */
    public static Verdict of(Family family, int value) {
        for (Verdict v : values()) {
            if (v.family == family && v.value == value) {
                return v;
            }
        }
        return null;
    }

    /** The redirect verdict of {@code family}, or null for socket filters. */
    public static Verdict redirectOf(Family family) {
        switch (family) {
            case XDP:
                return XDP_REDIRECT;
            case TC:
                return TC_ACT_REDIRECT;
            default:
                return null;
        }
    }

    /**
     * {@code value} as a program of {@code type} means it, e.g. {@code XDP_DROP (1)},
     * {@code TC_ACT_SHOT (2)}, {@code keep 54 bytes (54)}, {@code drop (0)}, or {@code 17 (no XDP verdict)}.
     */
    public static String describe(ProgramType type, int value) {
        Family f;
        try {
            f = Family.of(type);
        } catch (IllegalArgumentException e) {
            return Integer.toString(value);
        }
        if (f == Family.SOCKET_FILTER) {
            return value == 0 ? "drop (0)" : "keep " + Integer.toUnsignedString(value) + " bytes (" + value + ")";
        }
        Verdict v = of(f, value);
        return v == null ? value + " (no " + f + " verdict)" : v.name() + " (" + value + ")";
    }

    @Override
    public String toString() {
        return name() + " (" + value + ")";
    }
}
