package io.jbpf.examples.xdpcounter;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

/** The README's demo, as a test: it must count at least every echo request that crossed. */
@KernelTest
class XdpCounterTest {

    @Test
    void countsThePingsThatCross() {
        XdpCounter.Result r = XdpCounter.run(3);
        assertThat(r.pingsAnswered()).isEqualTo(3);
        assertThat(r.packetsCounted()).isGreaterThanOrEqualTo(3);
    }
}
