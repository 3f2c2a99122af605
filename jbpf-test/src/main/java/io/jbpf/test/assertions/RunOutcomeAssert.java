package io.jbpf.test.assertions;

import io.jbpf.test.RunOutcome;
import io.jbpf.test.Verdict;
import io.jbpf.test.packet.Packet;
import java.util.HexFormat;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link RunOutcome}; messages name the program, the engine and the verdicts.
 * Get one from {@link io.jbpf.test.BpfAssertions#assertThat(RunOutcome)}.
 */
public class RunOutcomeAssert extends AbstractAssert<RunOutcomeAssert, RunOutcome> {

    public RunOutcomeAssert(RunOutcome actual) {
        super(actual, RunOutcomeAssert.class);
    }

    /**
     * The program returned {@code expected}, which must be a verdict of its type (an XDP verdict for
     * an XDP program, a {@code TC_ACT_*} for TC).
     */
    public RunOutcomeAssert hasVerdict(Verdict expected) {
        isNotNull();
        Objects.requireNonNull(expected, "expected");
        Verdict.Family family = Verdict.Family.of(actual.programType());
        if (expected.family() != family) {
            failWithMessage("%s: a %s program cannot return %s; expected a %s verdict", where(),
                    actual.programType(), expected.name(), family);
        }
        return hasVerdict(expected.value());
    }

    /** The program returned {@code expected} (for socket filters: the number of bytes to keep). */
    public RunOutcomeAssert hasVerdict(int expected) {
        isNotNull();
        if (actual.verdict() != expected) {
            failWithMessage("%s:%n  expected verdict: %s%n  but it returned:  %s%n  packet: %s", where(),
                    Verdict.describe(actual.programType(), expected), actual.verdictName(), actual.packetBefore());
        }
        return this;
    }

    /** The packet after the run has the bytes it had before. */
    public RunOutcomeAssert packetIsUnchanged() {
        isNotNull();
        if (!actual.packetUnchanged()) {
            failWithMessage("%s: expected the packet unchanged, but it changed%n%s", where(),
                    difference(actual.packetBefore(), actual.packet()));
        }
        return this;
    }

    /** The packet after the run differs from the packet before. */
    public RunOutcomeAssert packetIsChanged() {
        isNotNull();
        if (actual.packetUnchanged()) {
            failWithMessage("%s: expected the packet to change, but it is unchanged: %s", where(),
                    actual.packetBefore());
        }
        return this;
    }

    /** Assertions on the packet after the run ({@link RunOutcome#packet()}). */
    public PacketAssert packet() {
        isNotNull();
        return new PacketAssert(actual.packet()).describedAs("packet after %s", where());
    }

    /**
     * The program redirected the packet to {@code ifindex}: it returned its type's redirect verdict
     * ({@code XDP_REDIRECT}, {@code TC_ACT_REDIRECT}) and, on engines that report the target (the
     * VM's), asked for that device. The kernel's test run does not report the target; there only
     * the verdict is checked.
     */
    public RunOutcomeAssert redirectedTo(int ifindex) {
        isNotNull();
        Verdict redirect = Verdict.redirectOf(Verdict.Family.of(actual.programType()));
        if (redirect == null) {
            failWithMessage("%s: %s programs do not redirect", where(), actual.programType());
        }
        if (actual.verdict() != redirect.value()) {
            failWithMessage("%s: expected a redirect to ifindex %d (%s), but it returned %s", where(), ifindex,
                    redirect, actual.verdictName());
        }
        if (actual.redirectTargetKnown()) {
            if (actual.redirectIfindex().isEmpty()) {
                failWithMessage("%s: returned %s without calling bpf_redirect", where(), actual.verdictName());
            } else if (actual.redirectIfindex().getAsInt() != ifindex) {
                failWithMessage("%s: expected a redirect to ifindex %d, but it redirected to ifindex %d", where(),
                        ifindex, actual.redirectIfindex().getAsInt());
            }
        }
        return this;
    }

    /** {@code __sk_buff.mark} after the run is {@code expected} (TC and socket filters). */
    public RunOutcomeAssert hasMark(int expected) {
        isNotNull();
        if (actual.mark() != expected) {
            failWithMessage("%s: expected mark 0x%x, but it is 0x%x", where(), expected, actual.mark());
        }
        return this;
    }

    private String where() {
        return actual.programType() + " program on " + actual.engine().displayName();
    }

    /** Where two packets first differ, with the bytes around it. */
    static String difference(Packet before, Packet after) {
        byte[] a = before.bytes();
        byte[] b = after.bytes();
        int n = Math.min(a.length, b.length);
        int at = 0;
        while (at < n && a[at] == b[at]) {
            at++;
        }
        int from = Math.max(0, at - 4);
        HexFormat hex = HexFormat.ofDelimiter(" ");
        StringBuilder s = new StringBuilder();
        s.append("  before: ").append(before).append(" (").append(a.length).append(" bytes)\n");
        s.append("  after:  ").append(after).append(" (").append(b.length).append(" bytes)\n");
        s.append("  first difference at byte ").append(at).append(":\n");
        s.append("    before[").append(from).append("..]: ")
                .append(hex.formatHex(a, Math.min(from, a.length), Math.min(a.length, at + 12))).append('\n');
        s.append("    after [").append(from).append("..]: ")
                .append(hex.formatHex(b, Math.min(from, b.length), Math.min(b.length, at + 12)));
        return s.toString();
    }
}
