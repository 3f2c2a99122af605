package io.jbpf.core;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's verifier rejected a program. Holds the complete verifier log and the index of the
 * instruction the verifier was looking at when it gave up (-1 when the log does not say).
 */
public class VerifierException extends BpfException {
    private static final long serialVersionUID = 1L;
    private static final Pattern INSN_LINE = Pattern.compile("^(\\d+): \\([0-9a-f]{2}\\)");

    private final String log;
    private final int instruction;

    public VerifierException(String programName, Errno errno, String log) {
        super(BpfCommand.PROG_LOAD, errno, "the verifier rejected program '" + programName + "'"
                + describe(log));
        this.log = log;
        this.instruction = failingInstruction(log);
    }

    private static String describe(String log) {
        String last = lastLines(log, 3);
        int at = failingInstruction(log);
        String where = at >= 0 ? " at instruction " + at : "";
        String source = sourceLine(log);
        if (source != null) {
            where += " (" + source + ")";
        }
        return last.isEmpty() ? where : where + ":\n" + last;
    }

    /**
     * The source line the log quotes last ({@code ; return x; @ prog.c:12}, printed when the program
     * came with BTF line info), as {@code prog.c:12: return x;}; null when it quotes none.
     */
    static String sourceLine(String log) {
        String found = null;
        for (String line : log.split("\n")) {
            int at = line.lastIndexOf(" @ ");
            if (line.startsWith("; ") && at > 0) {
                found = line.substring(at + 3).strip() + ": " + line.substring(2, at).strip();
            }
        }
        return found;
    }

    private static String lastLines(String log, int n) {
        List<String> lines = log.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** The index of the last instruction the log shows the verifier checking, or -1. */
    static int failingInstruction(String log) {
        int found = -1;
        for (String line : log.split("\n")) {
            Matcher m = INSN_LINE.matcher(line);
            if (m.find()) {
                found = Integer.parseInt(m.group(1));
            }
        }
        return found;
    }

    /** The whole verifier log. */
    public String log() {
        return log;
    }

    /** The index of the rejected instruction, or -1 when the log does not name one. */
    public int instruction() {
        return instruction;
    }
}
