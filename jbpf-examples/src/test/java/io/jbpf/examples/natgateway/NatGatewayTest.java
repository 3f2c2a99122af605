package io.jbpf.examples.natgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import java.util.HashSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The NAT gateway example in the kernel: real TCP connections (checksum offload off, so both hosts'
 * stacks verify the rewritten checksums) and pings from the private host reach the public host,
 * which sees only the gateway's address and ports from the configured range, and the replies come back.
 */
@KernelTest
class NatGatewayTest {

    @ParameterizedTest(name = "xdp={0}")
    @ValueSource(booleans = {false, true})
    void thePublicHostSeesOnlyTheGatewayAndRepliesComeBack(boolean xdp) {
        NatGateway.Result r = NatGateway.run(5, 3, xdp);
        assertThat(r.peersSeenByServer()).hasSize(5);
        assertThat(r.answersToClient()).containsExactlyElementsOf(r.peersSeenByServer());
        for (String peer : r.peersSeenByServer()) {
            String[] hostPort = peer.split(":");
            assertThat(hostPort[0]).isEqualTo(xdp ? NatGateway.GATEWAY_POOL : NatGateway.GATEWAY_PUBLIC);
            assertThat(Integer.parseInt(hostPort[1])).isBetween(NatGateway.PORT_MIN, NatGateway.PORT_MAX);
        }
        assertThat(new HashSet<>(r.peersSeenByServer())).as("one port per connection").hasSize(5);
        assertThat(r.pingsAnswered()).isEqualTo(3);
        assertThat(r.flowsTranslated()).as("5 TCP flows and one ping flow").isEqualTo(6);
    }
}
