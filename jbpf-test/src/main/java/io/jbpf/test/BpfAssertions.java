package io.jbpf.test;

import io.jbpf.test.assertions.PacketAssert;
import io.jbpf.test.assertions.RunOutcomeAssert;
import io.jbpf.test.assertions.TestMapAssert;
import io.jbpf.test.packet.Packet;
import org.assertj.core.api.Assertions;

/**
 * The entry point of the kit's AssertJ assertions, and of AssertJ's own (this class extends
 * {@link Assertions}): {@code import static io.jbpf.test.BpfAssertions.assertThat;} covers both.
 *
 * <pre>{@code
 * RunOutcome out = p.run(packet);
 * assertThat(out).hasVerdict(Verdict.XDP_TX).packet().hasIpv4Destination("10.0.0.9").hasValidChecksums();
 * assertThat(p.map("counts")).hasValue(6, 1).hasNonZeroCount(1);
 * }</pre>
 */
public class BpfAssertions extends Assertions {

    /** Not instantiated; extending is allowed. */
    protected BpfAssertions() {}

    /** Assertions on the outcome of a run: verdict, packet, redirect, context. */
    public static RunOutcomeAssert assertThat(RunOutcome actual) {
        return new RunOutcomeAssert(actual);
    }

    /** Assertions on a map's contents. */
    public static TestMapAssert assertThat(TestMap actual) {
        return new TestMapAssert(actual);
    }

    /** Assertions on a packet's fields. */
    public static PacketAssert assertThat(Packet actual) {
        return new PacketAssert(actual);
    }
}
