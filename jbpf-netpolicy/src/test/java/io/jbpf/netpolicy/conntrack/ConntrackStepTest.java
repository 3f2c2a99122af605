package io.jbpf.netpolicy.conntrack;

import static io.jbpf.netpolicy.conntrack.ConntrackResult.ESTABLISHED;
import static io.jbpf.netpolicy.conntrack.ConntrackResult.NEW;
import static io.jbpf.netpolicy.conntrack.ConntrackResult.RELATED;
import static io.jbpf.netpolicy.conntrack.ConntrackResult.REPLY;
import static io.jbpf.netpolicy.policy.Direction.EGRESS;
import static io.jbpf.netpolicy.policy.Direction.INGRESS;
import static io.jbpf.test.packet.TcpFlag.ACK;
import static io.jbpf.test.packet.TcpFlag.FIN;
import static io.jbpf.test.packet.TcpFlag.PSH;
import static io.jbpf.test.packet.TcpFlag.RST;
import static io.jbpf.test.packet.TcpFlag.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.test.packet.Packet;
import io.jbpf.test.packet.TcpFlag;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The conntrack steps, run by {@link ConntrackProbe} over real frames in the kernel
 * ({@code BPF_PROG_TEST_RUN}) and in the VM on the same packets, which must agree on every result
 * and leave the same entries; timeouts are tested in the VM, whose clock the test moves.
 */
@KernelTest
class ConntrackStepTest {
    static final String CLIENT = "10.0.1.5", SERVER = "10.0.2.7", ROUTER = "10.0.9.1";

    static Packet tcp(String src, String dst, int sport, int dport, TcpFlag... flags) {
        return Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).tcp(sport, dport).flags(flags)
                .build();
    }

    static Packet tcpData(String src, String dst, int sport, int dport, int bytes, TcpFlag... flags) {
        return Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).tcp(sport, dport).flags(flags)
                .payload(new byte[bytes]).build();
    }

    static Packet udp(String src, String dst, int sport, int dport) {
        return Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).udp(sport, dport)
                .payload(new byte[12]).build();
    }

    static Packet echoRequest(String src, String dst, int id) {
        return Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).icmpEchoRequest(id, 1).build();
    }

    static Packet echoReply(String src, String dst, int id) {
        return Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).icmpEchoReply(id, 1).build();
    }

    /** An ICMP error of {@code type}/{@code code} from {@code src} to {@code dst} quoting {@code original}'s IP packet. */
    static Packet icmpError(String src, String dst, int type, int code, Packet original) {
        return Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(src, dst).icmp(type, code)
                .payload(original.ipBytes()).build();
    }

    static ConntrackKey key(String src, String dst, int sport, int dport, int proto, io.jbpf.netpolicy.policy.Direction d) {
        return new ConntrackKey(Ipv4.parse(src), Ipv4.parse(dst), sport, dport, proto, d);
    }

    static int ipLength(Packet p) {
        return p.ipBytes().length;
    }

    @Test
    void aTcpHandshakeMakesOneEntryAndTheServersPacketsAreReplies() {
        try (CtHooks h = new CtHooks("jbpf_ct_hs", 1024)) {
            Packet syn = tcp(CLIENT, SERVER, 40000, 80, SYN);
            Packet synAck = tcp(SERVER, CLIENT, 80, 40000, SYN, ACK);
            Packet ack = tcp(CLIENT, SERVER, 40000, 80, ACK);
            Packet data = tcpData(SERVER, CLIENT, 80, 40000, 100, PSH, ACK);

            // the client's egress hook judges the SYN (policy allows: created)
            assertThat(h.both(EGRESS, true, syn)).isEqualTo(NEW);
            ConntrackKey k = key(CLIENT, SERVER, 40000, 80, 6, EGRESS);
            assertThat(h.kernelEntries()).containsOnlyKeys(k);
            ConntrackValue v = h.vmEntries().get(k);
            assertThat(v.lifetime() - v.created()).isEqualTo(60);
            assertThat(v.created()).isEqualTo(h.vmSeconds());
            assertThat(v.txPackets()).isEqualTo(1);
            assertThat(v.txBytes()).isEqualTo(ipLength(syn));
            assertThat(v.txFlagsSeen()).isEqualTo(SYN.bit());
            assertThat(v.sourceIdentity()).isEqualTo(CtHooks.IDENTITY);

            // the replies arrive at the client's ingress hook, whose policy allows nothing: they are replies
            assertThat(h.both(INGRESS, false, synAck)).isEqualTo(REPLY);
            v = h.vmEntries().get(k);
            assertThat(v.lifetime() - v.created()).as("SYN-ACK still has SYN: short lifetime").isEqualTo(60);
            assertThat(v.rxFlagsSeen()).isEqualTo(SYN.bit() | ACK.bit());

            assertThat(h.both(EGRESS, false, ack)).isEqualTo(ESTABLISHED);
            v = h.vmEntries().get(k);
            assertThat(v.lifetime()).as("established: the long lifetime from now").isEqualTo(h.vmSeconds() + 21600);
            assertThat(v.state() & ConntrackMap.SEEN_NON_SYN).isNotZero();
            assertThat(h.both(INGRESS, false, data)).isEqualTo(REPLY);
            // a retransmitted SYN on a live connection is part of it
            assertThat(h.both(EGRESS, false, syn)).isEqualTo(ESTABLISHED);

            assertThat(h.kernelEntries()).containsOnlyKeys(k);
            v = h.vmEntries().get(k);
            assertThat(v.txPackets()).isEqualTo(3);
            assertThat(v.txBytes()).isEqualTo(2L * ipLength(syn) + ipLength(ack));
            assertThat(v.rxPackets()).isEqualTo(2);
            assertThat(v.rxBytes()).isEqualTo((long) ipLength(synAck) + ipLength(data));
            assertThat(v.rxFlagsSeen()).isEqualTo(SYN.bit() | ACK.bit() | PSH.bit());
            assertThat(v.state() & ConntrackMap.BOTH_CLOSING).isZero();
            h.assertSameEntries();
            assertThat(ConntrackMap.describe(h.kernelMap, ConntrackMap.kernelNowNanos()).get(0))
                    .startsWith("TCP OUT 10.0.1.5:40000 -> 10.0.2.7:80 expires=")
                    .contains("TxPackets=3", "RxPackets=2", "SourceSecurityID=4242");
        }
    }

    @Test
    void packetsNoConnectionExplainsAreNew() {
        try (CtHooks h = new CtHooks("jbpf_ct_new", 1024)) {
            // a "reply" nobody asked for
            assertThat(h.both(INGRESS, false, tcp(SERVER, CLIENT, 80, 40001, SYN, ACK))).isEqualTo(NEW);
            assertThat(h.both(INGRESS, false, udp(SERVER, CLIENT, 53, 5353))).isEqualTo(NEW);
            assertThat(h.kernelEntries()).isEmpty();
            assertThat(h.vmEntries()).isEmpty();

            assertThat(h.both(EGRESS, true, tcp(CLIENT, SERVER, 40000, 80, SYN))).isEqualTo(NEW);
            // the same tuple at the other hook is another endpoint's question
            assertThat(h.both(INGRESS, false, tcp(CLIENT, SERVER, 40000, 80, SYN))).isEqualTo(NEW);
            // another protocol, another port: other connections
            assertThat(h.both(EGRESS, false, udp(CLIENT, SERVER, 40000, 80))).isEqualTo(NEW);
            assertThat(h.both(INGRESS, false, tcp(SERVER, CLIENT, 80, 40002, SYN, ACK))).isEqualTo(NEW);
            // a reply seen at the wrong hook (egress of the client) is not a reply
            assertThat(h.both(EGRESS, false, tcp(SERVER, CLIENT, 80, 40000, SYN, ACK))).isEqualTo(NEW);
            assertThat(h.kernelEntries()).hasSize(1);
            h.assertSameEntries();
        }
    }

    @Test
    void finBothWaysOrRstShortensTheLifetimeAndExpiredEntriesAreNew() {
        try (CtHooks h = new CtHooks("jbpf_ct_fin", 1024)) {
            ConntrackKey k = key(CLIENT, SERVER, 40000, 80, 6, EGRESS);
            h.both(EGRESS, true, tcp(CLIENT, SERVER, 40000, 80, SYN));
            h.both(INGRESS, false, tcp(SERVER, CLIENT, 80, 40000, SYN, ACK));
            h.both(EGRESS, false, tcp(CLIENT, SERVER, 40000, 80, ACK));

            // half-closed: still the long lifetime
            assertThat(h.both(EGRESS, false, tcp(CLIENT, SERVER, 40000, 80, FIN, ACK))).isEqualTo(ESTABLISHED);
            ConntrackValue v = h.vmEntries().get(k);
            assertThat(v.state() & ConntrackMap.BOTH_CLOSING).isEqualTo(ConntrackMap.TX_CLOSING);
            assertThat(v.lifetime()).isEqualTo(h.vmSeconds() + 21600);
            // the server's FIN closes it: the close timeout
            assertThat(h.both(INGRESS, false, tcp(SERVER, CLIENT, 80, 40000, FIN, ACK))).isEqualTo(REPLY);
            v = h.vmEntries().get(k);
            assertThat(v.closing()).isTrue();
            assertThat(v.lifetime()).isEqualTo(h.vmSeconds() + 10);
            ConntrackValue kv = h.kernelEntries().get(k);
            assertThat(kv.closing()).isTrue();
            assertThat(kv.lifetime() - ConntrackMap.seconds(ConntrackMap.kernelNowNanos())).isBetween(8L, 10L);
            h.assertSameEntries();

            // the last ACK does not refresh a closed connection
            h.advanceVm(5);
            assertThat(h.vmOnly(EGRESS, false, tcp(CLIENT, SERVER, 40000, 80, ACK))).isEqualTo(ESTABLISHED);
            assertThat(h.vmEntries().get(k).lifetime()).isEqualTo(h.vmSeconds() + 5);
            // past its lifetime the entry counts as absent even before GC
            h.advanceVm(6);
            assertThat(h.vmOnly(INGRESS, false, tcp(SERVER, CLIENT, 80, 40000, ACK))).isEqualTo(NEW);
            assertThat(h.vmOnly(EGRESS, false, tcp(CLIENT, SERVER, 40000, 80, ACK))).isEqualTo(NEW);

            // RST: both directions closed at once
            ConntrackKey k2 = key(CLIENT, SERVER, 40001, 80, 6, EGRESS);
            h.vmOnly(EGRESS, true, tcp(CLIENT, SERVER, 40001, 80, SYN));
            h.vmOnly(INGRESS, false, tcp(SERVER, CLIENT, 80, 40001, SYN, ACK));
            h.vmOnly(EGRESS, false, tcp(CLIENT, SERVER, 40001, 80, ACK));
            assertThat(h.vmEntries().get(k2).lifetime()).isEqualTo(h.vmSeconds() + 21600);
            assertThat(h.vmOnly(INGRESS, false, tcp(SERVER, CLIENT, 80, 40001, RST))).isEqualTo(REPLY);
            assertThat(h.vmEntries().get(k2).closing()).isTrue();
            assertThat(h.vmEntries().get(k2).lifetime()).isEqualTo(h.vmSeconds() + 10);
            // a new SYN on the closed tuple is a new connection, and creating it starts the entry over
            assertThat(h.vmOnly(EGRESS, true, tcp(CLIENT, SERVER, 40001, 80, SYN))).isEqualTo(NEW);
            ConntrackValue fresh = h.vmEntries().get(k2);
            assertThat(fresh.closing()).isFalse();
            assertThat(fresh.txPackets()).isEqualTo(1);
            assertThat(fresh.rxPackets()).isZero();
            assertThat(fresh.lifetime()).isEqualTo(h.vmSeconds() + 60);

            // the same RST story in the kernel
            ConntrackKey k3 = key(CLIENT, SERVER, 40002, 80, 6, EGRESS);
            h.kernel(EGRESS, true, tcp(CLIENT, SERVER, 40002, 80, SYN));
            h.kernel(INGRESS, false, tcp(SERVER, CLIENT, 80, 40002, SYN, ACK));
            h.kernel(EGRESS, false, tcp(CLIENT, SERVER, 40002, 80, ACK));
            assertThat(h.kernel(EGRESS, false, tcp(CLIENT, SERVER, 40002, 80, RST, ACK))).isEqualTo(ESTABLISHED.code());
            kv = h.kernelEntries().get(k3);
            assertThat(kv.closing()).isTrue();
            assertThat(kv.lifetime() - kv.created()).isBetween(10L, 11L);
            assertThat(h.kernel(EGRESS, true, tcp(CLIENT, SERVER, 40002, 80, SYN))).isEqualTo(NEW.code());
            assertThat(h.kernelEntries().get(k3).closing()).isFalse();
        }
    }

    @Test
    void aSynOnlyConnectionAndUdpExpireAfterTheirShortLifetimes() {
        try (CtHooks h = new CtHooks("jbpf_ct_syn", 1024)) {
            h.both(EGRESS, true, tcp(CLIENT, SERVER, 40000, 80, SYN));
            h.both(EGRESS, true, tcp(CLIENT, SERVER, 40001, 80, SYN));
            h.both(EGRESS, true, udp(CLIENT, SERVER, 5353, 53));
            h.advanceVm(60);
            // at the lifetime's second an entry still lives; these refresh theirs by 60 s
            assertThat(h.vmOnly(INGRESS, false, udp(SERVER, CLIENT, 53, 5353))).isEqualTo(REPLY);
            assertThat(h.vmOnly(INGRESS, false, tcp(SERVER, CLIENT, 80, 40000, SYN, ACK))).isEqualTo(REPLY);
            h.advanceVm(1);
            // the SYN nobody answered is gone after 60 s; the answered one is established by its ACK
            assertThat(h.vmOnly(INGRESS, false, tcp(SERVER, CLIENT, 80, 40001, SYN, ACK))).isEqualTo(NEW);
            assertThat(h.vmOnly(EGRESS, false, tcp(CLIENT, SERVER, 40000, 80, ACK))).isEqualTo(ESTABLISHED);
            h.advanceVm(60);
            assertThat(h.vmOnly(INGRESS, false, udp(SERVER, CLIENT, 53, 5353))).isEqualTo(NEW);
            assertThat(h.vmOnly(INGRESS, false, tcpData(SERVER, CLIENT, 80, 40000, 10, ACK))).isEqualTo(REPLY);
            h.advanceVm(21600);
            assertThat(h.vmOnly(INGRESS, false, tcpData(SERVER, CLIENT, 80, 40000, 10, ACK))).isEqualTo(REPLY);
            h.advanceVm(21601);
            assertThat(h.vmOnly(INGRESS, false, tcpData(SERVER, CLIENT, 80, 40000, 10, ACK))).isEqualTo(NEW);
        }
    }

    @Test
    void anIcmpErrorQuotingATrackedPacketIsRelatedAndAMadeUpOneIsNot() {
        try (CtHooks h = new CtHooks("jbpf_ct_icmp", 1024)) {
            Packet query = udp(CLIENT, SERVER, 5353, 53);
            assertThat(h.both(EGRESS, true, query)).isEqualTo(NEW);
            Map<ConntrackKey, ConntrackValue> before = h.vmEntries();

            // port unreachable from the server, time exceeded from a router: both about the query
            assertThat(h.both(INGRESS, false, icmpError(SERVER, CLIENT, 3, 3, query))).isEqualTo(RELATED);
            assertThat(h.both(INGRESS, false, icmpError(ROUTER, CLIENT, 11, 0, query))).isEqualTo(RELATED);
            assertThat(h.both(INGRESS, false, icmpError(ROUTER, CLIENT, 12, 0, query))).isEqualTo(RELATED);
            // errors neither count nor refresh
            assertThat(h.vmEntries()).isEqualTo(before);

            // made up: another port, another client, a quoted reply that was never a reply
            assertThat(h.both(INGRESS, false, icmpError(SERVER, CLIENT, 3, 3, udp(CLIENT, SERVER, 5353, 54))))
                    .isEqualTo(NEW);
            assertThat(h.both(INGRESS, false, icmpError(SERVER, "10.0.1.6", 3, 3, udp("10.0.1.6", SERVER, 5353, 53))))
                    .isEqualTo(NEW);
            assertThat(h.both(INGRESS, false, icmpError(SERVER, CLIENT, 3, 3, tcp(CLIENT, SERVER, 5353, 53, SYN))))
                    .isEqualTo(NEW);
            // an error arriving at the egress hook quotes a packet that came in: not the query
            assertThat(h.both(EGRESS, false, icmpError(CLIENT, SERVER, 3, 3, query))).isEqualTo(NEW);
            // an unrelated error a policy allows creates nothing
            assertThat(h.both(INGRESS, true, icmpError(SERVER, CLIENT, 3, 1, udp(CLIENT, SERVER, 5353, 54))))
                    .isEqualTo(NEW);
            assertThat(h.kernelEntries()).hasSize(1);

            // the server's side: its ingress hook tracked the query; an error about its reply is related
            Packet reply = udp(SERVER, CLIENT, 53, 5353);
            assertThat(h.both(INGRESS, true, query)).isEqualTo(NEW);
            assertThat(h.both(EGRESS, false, reply)).isEqualTo(REPLY);
            assertThat(h.both(INGRESS, false, icmpError(ROUTER, SERVER, 3, 1, reply))).isEqualTo(RELATED);

            // about a ping
            Packet ping = echoRequest(CLIENT, SERVER, 77);
            assertThat(h.both(EGRESS, true, ping)).isEqualTo(NEW);
            assertThat(h.both(INGRESS, false, icmpError(ROUTER, CLIENT, 11, 0, ping))).isEqualTo(RELATED);
            assertThat(h.both(INGRESS, false, icmpError(ROUTER, CLIENT, 11, 0, echoRequest(CLIENT, SERVER, 78))))
                    .isEqualTo(NEW);
            h.assertSameEntries();
        }
    }

    @Test
    void icmpEchoUsesTheIdentifierAsPort() {
        try (CtHooks h = new CtHooks("jbpf_ct_echo", 1024)) {
            assertThat(h.both(EGRESS, true, echoRequest(CLIENT, SERVER, 77))).isEqualTo(NEW);
            assertThat(h.kernelEntries()).containsOnlyKeys(key(CLIENT, SERVER, 0, 77, 1, EGRESS));
            assertThat(h.both(INGRESS, false, echoReply(SERVER, CLIENT, 77))).isEqualTo(REPLY);
            assertThat(h.both(EGRESS, false, echoRequest(CLIENT, SERVER, 77))).isEqualTo(ESTABLISHED);
            // another identifier, or a request from the peer with the same one: not replies
            assertThat(h.both(INGRESS, false, echoReply(SERVER, CLIENT, 78))).isEqualTo(NEW);
            assertThat(h.both(INGRESS, false, echoRequest(SERVER, CLIENT, 77))).isEqualTo(NEW);
            ConntrackValue v = h.vmEntries().get(key(CLIENT, SERVER, 0, 77, 1, EGRESS));
            assertThat(v.txPackets()).isEqualTo(2);
            assertThat(v.rxPackets()).isEqualTo(1);
            assertThat(v.lifetime() - v.created()).isEqualTo(60);
            h.assertSameEntries();
        }
    }

    @Test
    void packetsWithoutATupleAreUntracked() {
        try (CtHooks h = new CtHooks("jbpf_ct_bad", 1024)) {
            Packet syn = tcp(CLIENT, SERVER, 40000, 80, SYN);
            Packet[] bad = {
                Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(CLIENT, SERVER).ihl(4).tcp(40000, 80).build(),
                syn.truncated(14 + 20 + 13),                          // TCP header without its flags
                Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(CLIENT, SERVER).fragmentOffset(8)
                        .udp(1, 2).build(),                           // a later fragment
                Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(CLIENT, SERVER).version(5).udp(1, 2).build(),
                Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv6("fd00::1", "fd00::2").udp(1, 2).build(),
                Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(CLIENT, SERVER).icmp(13, 0).build(),
                icmpError(SERVER, CLIENT, 3, 3, syn).truncated(14 + 20 + 8 + 20 + 7), // quoted ports cut
                icmpError(SERVER, CLIENT, 3, 3, icmpError(CLIENT, SERVER, 3, 3, syn)), // an error about an error
            };
            for (Packet p : bad) {
                assertThat(h.bothCode(EGRESS, true, p)).as("%s", p).isEqualTo(ConntrackProbe.UNTRACKED);
            }
            // a cut IPv4 header: the kernel refuses to test-run such a frame (EINVAL), so the VM alone
            assertThat(h.vm(EGRESS, true, syn.truncated(14 + 19))).isEqualTo(ConntrackProbe.UNTRACKED);
            assertThat(h.kernelEntries()).isEmpty();
            assertThat(h.vmEntries()).isEmpty();
            // a first fragment has its ports
            Packet first = Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(CLIENT, SERVER).moreFragments()
                    .udp(1, 2).build();
            assertThat(h.both(EGRESS, true, first)).isEqualTo(NEW);
            // IP options: the transport header found through IHL
            Packet opts = Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02").ipv4(CLIENT, SERVER).routerAlert()
                    .udp(1, 2).build();
            assertThat(h.both(EGRESS, false, opts)).isEqualTo(ESTABLISHED);
            assertThat(h.kernelEntries()).containsOnlyKeys(key(CLIENT, SERVER, 1, 2, 17, EGRESS));
        }
    }

    @Test
    void aFullMapForgetsOldConnectionsWithoutErrors() {
        int capacity = 128;
        try (CtHooks h = new CtHooks("jbpf_ct_lru", capacity)) {
            for (int i = 0; i < 2000; i++) {
                Packet p = udp(CLIENT, SERVER, 10000 + i, 53);
                assertThat(h.bothCode(EGRESS, true, p)).as("flow %d", i).isEqualTo(NEW.code());
            }
            assertThat(h.kernelEntries().size()).isBetween(1, capacity);
            assertThat(h.vmEntries()).hasSize(capacity);
            // the newest connection is there; the VM's strict LRU kept exactly the last ones, the
            // kernel's (an approximation, with per-CPU free lists) at most as many as fit
            int kernelReplies = 0;
            for (int i = 1999; i >= 0; i--) {
                Packet reply = udp(SERVER, CLIENT, 53, 10000 + i);
                int k = h.kernel(INGRESS, false, reply);
                assertThat(k).isIn(NEW.code(), REPLY.code());
                kernelReplies += k == REPLY.code() ? 1 : 0;
                assertThat(h.vm(INGRESS, false, reply)).as("flow %d", i)
                        .isEqualTo(i >= 2000 - capacity ? REPLY.code() : NEW.code());
                if (i == 1999) {
                    assertThat(k).isEqualTo(REPLY.code());
                }
            }
            assertThat(kernelReplies).isBetween(1, capacity);
        }
    }

    @Test
    void theStepsRefuseBadRegistersAndAreas() {
        assertThatThrownBy(() -> ConntrackStep.lookup(new Assembler(), "ct", -96, Reg.R3, "x"))
                .hasMessageContaining("R6-R9");
        assertThatThrownBy(() -> ConntrackStep.lookup(new Assembler(), "ct", -88, Reg.R7, "x"))
                .hasMessageContaining("-512..-96");
        assertThatThrownBy(() -> ConntrackStep.create(new Assembler(), "ct", -100, "x"))
                .hasMessageContaining("multiple of 8");
        assertThatThrownBy(() -> ConntrackTuple.emit(new Assembler(), Reg.R2, Reg.R8, EGRESS, -96, "u", "x"))
                .hasMessageContaining("R4-R9");
        assertThatThrownBy(() -> ConntrackTuple.emit(new Assembler(), Reg.R8, Reg.R8, EGRESS, -96, "u", "x"))
                .hasMessageContaining("different");
        assertThatThrownBy(() -> new ConntrackTimeouts(0, 60, 10, 60)).hasMessageContaining("tcpEstablished");
    }
}
