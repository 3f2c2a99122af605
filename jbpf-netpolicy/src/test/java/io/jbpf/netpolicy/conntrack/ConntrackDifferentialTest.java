package io.jbpf.netpolicy.conntrack;

import static io.jbpf.netpolicy.conntrack.ConntrackStepTest.icmpError;
import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.lab.Ipv4;
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
 * same result for each and keep the same entries, and both are what {@link CtModel}, the
 * documented behaviour in plain Java, gives — also with the VM's clock jumping over lifetimes.
 */
@KernelTest
class ConntrackDifferentialTest {
    private static final String[] HOSTS = {"10.0.1.5", "10.0.2.7", "192.168.10.101"};
    private static final int[][] ERRORS = {{3, 3}, {3, 1}, {11, 0}, {12, 0}};
    private static final int[] TCP_FLAGS = {0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x14, 0x01, 0x02, 0x10};

    /** A packet and its tuple as the tuple step reads it (ICMP echo: the identifier as one port). */
    record Sent(Packet packet, String src, String dst, int sport, int dport, int proto, int flags) {
        CtModel.Question question(Direction hook) {
            return new CtModel.Question(new ConntrackKey(Ipv4.parse(src), Ipv4.parse(dst), sport, dport, proto, hook),
                    packet.ipBytes().length, flags, false);
        }
    }

    @Test
    void kernelVmAndModelAgreeOnRandomTraffic() {
        Random rnd = new Random(77);
        CtModel model = new CtModel(ConntrackTimeouts.DEFAULTS);
        try (CtHooks h = new CtHooks("jbpf_ct_rand", 4096)) {
            Map<ConntrackResult, Integer> seen = new EnumMap<>(ConntrackResult.class);
            List<Sent> sent = new ArrayList<>();
            for (int step = 0; step < 1500; step++) {
                Direction hook = rnd.nextBoolean() ? Direction.INGRESS : Direction.EGRESS;
                boolean allow = rnd.nextInt(3) > 0;
                Packet p;
                CtModel.Question q;
                if (!sent.isEmpty() && rnd.nextInt(8) == 0) {
                    Sent quoted = sent.get(rnd.nextInt(sent.size()));
                    int[] type = ERRORS[rnd.nextInt(ERRORS.length)];
                    p = icmpError(HOSTS[rnd.nextInt(HOSTS.length)], HOSTS[rnd.nextInt(HOSTS.length)], type[0], type[1],
                            quoted.packet());
                    q = new CtModel.Question(quoted.question(CtModel.flip(hook)).key(), p.ipBytes().length, 0, true);
                } else {
                    Sent s = randomPacket(rnd);
                    sent.add(s);
                    p = s.packet();
                    q = s.question(hook);
                }
                ConntrackResult r = h.both(hook, allow, p);
                assertThat(r).as("step %d: %s at %s", step, p, hook)
                        .isEqualTo(model.run(q, h.vmSeconds(), allow, CtHooks.IDENTITY));
                seen.merge(r, 1, Integer::sum);
                if (step % 100 == 99) {
                    h.assertSameEntries();
                    assertThat(h.vmEntries()).isEqualTo(model.entries);
                }
            }
            h.assertSameEntries();
            assertThat(h.vmEntries()).isEqualTo(model.entries);
            // the random traffic met every result, so the comparison covered every path
            assertThat(seen).containsKeys(ConntrackResult.values());
        }
    }

    @Test
    void vmAndModelAgreeWhileTheClockJumps() {
        Random rnd = new Random(2026);
        ConntrackTimeouts t = new ConntrackTimeouts(300, 20, 5, 30);
        CtModel model = new CtModel(t);
        try (CtHooks h = new CtHooks("jbpf_ct_jump", 4096, t)) {
            List<Sent> sent = new ArrayList<>();
            int expired = 0;
            for (int step = 0; step < 3000; step++) {
                int jump = rnd.nextInt(10);
                if (jump == 0) {
                    h.advanceVm(rnd.nextInt(40));
                } else if (jump == 1 && rnd.nextInt(10) == 0) {
                    h.advanceVm(250 + rnd.nextInt(100));
                }
                Direction hook = rnd.nextBoolean() ? Direction.INGRESS : Direction.EGRESS;
                boolean allow = rnd.nextInt(3) > 0;
                Packet p;
                CtModel.Question q;
                if (!sent.isEmpty() && rnd.nextInt(8) == 0) {
                    Sent quoted = sent.get(rnd.nextInt(sent.size()));
                    p = icmpError(HOSTS[0], HOSTS[1], 3, 3, quoted.packet());
                    q = new CtModel.Question(quoted.question(CtModel.flip(hook)).key(), p.ipBytes().length, 0, true);
                } else {
                    Sent s = randomPacket(rnd);
                    sent.add(s);
                    p = s.packet();
                    q = s.question(hook);
                }
                long now = h.vmSeconds();
                expired += (int) model.entries.values().stream().filter(v -> v.expiredAt(now)).count();
                ConntrackResult r = h.vmOnly(hook, allow, p);
                assertThat(r).as("step %d at %d: %s at %s", step, now, p, hook)
                        .isEqualTo(model.run(q, now, allow, CtHooks.IDENTITY));
                if (step % 200 == 199) {
                    assertThat(h.vmEntries()).isEqualTo(model.entries);
                    // GC agrees with the model's idea of expired
                    long dead = model.entries.values().stream().filter(v -> v.expiredAt(now)).count();
                    assertThat(ConntrackMap.gc(h.vmMap, h.vmClock.get()).deleted()).isEqualTo((int) dead);
                    model.entries.values().removeIf(v -> v.expiredAt(now));
                }
            }
            assertThat(h.vmEntries()).isEqualTo(model.entries);
            assertThat(expired).as("entries expired along the way").isPositive();
        }
    }

    private static Sent randomPacket(Random rnd) {
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
            case 0: {
                int flags = TCP_FLAGS[rnd.nextInt(TCP_FLAGS.length)];
                Packet p = Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).tcp(sport, dport)
                        .flags(flags).payload(new byte[rnd.nextInt(40)]).build();
                return new Sent(p, src, dst, sport, dport, 6, flags);
            }
            case 1: {
                Packet p = Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).udp(sport, dport)
                        .payload(new byte[rnd.nextInt(40)]).build();
                return new Sent(p, src, dst, sport, dport, 17, 0);
            }
            default: {
                int id = 1 + rnd.nextInt(2);
                if (rnd.nextBoolean()) {
                    Packet p = Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst)
                            .icmpEchoRequest(id, 1).build();
                    return new Sent(p, src, dst, 0, id, 1, 0);
                }
                Packet p = Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).icmpEchoReply(id, 1)
                        .build();
                return new Sent(p, src, dst, id, 0, 1, 0);
            }
        }
    }
}
