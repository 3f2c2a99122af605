package io.jbpf.netpolicy.conntrack;

import static io.jbpf.netpolicy.conntrack.ConntrackStepTest.icmpError;
import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.policy.Direction;
import io.jbpf.test.packet.Packet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random packets of a few TCP, UDP and ICMP echo flows in both directions at both hooks, with
 * random TCP flags, policies and ICMP errors about earlier packets: the kernel and the VM give the
 * same result for each and keep the same entries.
 */
@KernelTest
class ConntrackDifferentialTest {
    private static final String[] HOSTS = {"10.0.1.5", "10.0.2.7", "192.168.10.101"};
    private static final int[][] ERRORS = {{3, 3}, {3, 1}, {11, 0}, {12, 0}};
    private static final int[] TCP_FLAGS = {0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x14, 0x01};

    @Test
    void kernelAndVmAgreeOnRandomTraffic() {
        Random rnd = new Random(77);
        try (CtHooks h = new CtHooks("jbpf_ct_rand", 4096)) {
            Map<ConntrackResult, Integer> seen = new EnumMap<>(ConntrackResult.class);
            List<Packet> sent = new ArrayList<>();
            for (int step = 0; step < 1500; step++) {
                Packet p;
                if (!sent.isEmpty() && rnd.nextInt(8) == 0) {
                    Packet quoted = sent.get(rnd.nextInt(sent.size()));
                    int[] type = ERRORS[rnd.nextInt(ERRORS.length)];
                    p = icmpError(HOSTS[rnd.nextInt(HOSTS.length)], HOSTS[rnd.nextInt(HOSTS.length)], type[0], type[1],
                            quoted);
                } else {
                    p = randomPacket(rnd);
                    sent.add(p);
                }
                Direction hook = rnd.nextBoolean() ? Direction.INGRESS : Direction.EGRESS;
                ConntrackResult r = h.both(hook, rnd.nextInt(3) > 0, p);
                seen.merge(r, 1, Integer::sum);
                if (step % 100 == 99) {
                    h.assertSameEntries();
                }
            }
            h.assertSameEntries();
            // the random traffic met every result, so the comparison covered every path
            assertThat(seen).containsKeys(ConntrackResult.values());
            assertThat(h.kernelEntries()).isNotEmpty();
        }
    }

    private static Packet randomPacket(Random rnd) {
        int a = rnd.nextInt(2);
        int b = 1 - a + rnd.nextInt(2);
        String src = HOSTS[a];
        String dst = HOSTS[b == a ? 2 : b];
        boolean forward = rnd.nextBoolean();
        if (!forward) {
            String t = src;
            src = dst;
            dst = t;
        }
        int clientPort = 40000 + rnd.nextInt(3);
        int serverPort = rnd.nextBoolean() ? 80 : 53;
        int sport = forward ? clientPort : serverPort;
        int dport = forward ? serverPort : clientPort;
        switch (rnd.nextInt(3)) {
            case 0:
                return Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).tcp(sport, dport)
                        .flags(TCP_FLAGS[rnd.nextInt(TCP_FLAGS.length)]).payload(new byte[rnd.nextInt(40)]).build();
            case 1:
                return Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).udp(sport, dport)
                        .payload(new byte[rnd.nextInt(40)]).build();
            default:
                int id = 1 + rnd.nextInt(2);
                return rnd.nextBoolean()
                        ? Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).icmpEchoRequest(id, 1).build()
                        : Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).icmpEchoReply(id, 1).build();
        }
    }
}
