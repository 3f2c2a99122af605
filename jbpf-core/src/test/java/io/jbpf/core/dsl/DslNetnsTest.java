package io.jbpf.core.dsl;

import static io.jbpf.core.dsl.Dsl.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.link.TcDirection;
import io.jbpf.core.link.TcxLink;
import io.jbpf.core.link.XdpLink;
import io.jbpf.core.link.XdpMode;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DSL programs on real interfaces: in namespace B a second veth pair {@code jbpf-c}/{@code jbpf-d}
 * takes what a program on {@code jbpf-b} redirects; a counting program on {@code jbpf-d} sees it
 * arrive, and the ping from A that was redirected away gets no answer.
 */
@KernelTest
@Timeout(120)
@SuppressWarnings("try")
class DslNetnsTest {
    static final String C_IF = "jbpf-c";
    static final String D_IF = "jbpf-d";

    static NetLab lab;
    static NetNamespace nsB;

    @BeforeAll
    static void setUp() {
        lab = NetLab.create();
        nsB = NetNamespace.open(lab.nsB());
        lab.ip(lab.nsB(), "link", "add", C_IF, "type", "veth", "peer", "name", D_IF);
        lab.ip(lab.nsB(), "link", "set", C_IF, "up");
        lab.ip(lab.nsB(), "link", "set", D_IF, "up");
    }

    @AfterAll
    static void tearDown() {
        if (nsB != null) {
            nsB.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    static long[] counter(KernelMap map, int index) {
        byte[] key = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(index).array();
        byte[] v = new byte[map.valueBufferSize()];
        map.lookup(key, v);
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
        long packets = 0;
        long bytes = 0;
        for (int c = 0; c < v.length / 16; c++) {
            packets += b.getLong(c * 16);
            bytes += b.getLong(c * 16 + 8);
        }
        return new long[] {packets, bytes};
    }

    private static Match echoRequestToB() {
        return icmp().type().eq(8).and(ipv4().dst().eq(lab.addressB()));
    }

    @Test
    void tcRedirectsEchoRequestsToAnotherInterfaceWhereTheyAreCounted() {
        int cIndex = nsB.ifindex(C_IF);
        PacketProgram redirect = PacketProgram.forTarget(Target.TC_INGRESS).name("jbpf_dsl_redir")
                .when(echoRequestToB()).then(countPerCpu("redirected"), redirect(cIndex)).build();
        PacketProgram count = PacketProgram.forTarget(Target.TC_INGRESS).name("jbpf_dsl_count")
                .when(echoRequestToB()).then(countPerCpu("arrived"), drop()).build();
        assertThat(lab.pingAtoB()).as("before").isTrue();
        try (KernelPacketProgram r = redirect.load(); KernelPacketProgram c = count.load();
                TcxLink counting = nsB.run(() -> TcxLink.attach(c.program(), D_IF, TcDirection.INGRESS));
                TcxLink redirecting = nsB.run(() -> TcxLink.attach(r.program(), NetLab.B_IF, TcDirection.INGRESS))) {
            assertThat(lab.pingAtoB()).as("echo requests redirected away from B's stack").isFalse();
            long[] sent = counter(r.map("redirected"), 0);
            long[] arrived = counter(c.map("arrived"), 0);
            assertThat(sent[0]).isGreaterThanOrEqualTo(3);
            assertThat(arrived[0]).as("redirected packets arrive on the peer").isEqualTo(sent[0]);
            assertThat(arrived[1]).isEqualTo(sent[1]);
            assertThat(sent[1]).isEqualTo(sent[0] * 98); // 14 + 20 + 8 + 56 bytes of ping
        }
        assertThat(lab.pingAtoB()).as("after").isTrue();
    }

    @Test
    void xdpRedirectsToo() {
        int cIndex = nsB.ifindex(C_IF);
        PacketProgram redirect = PacketProgram.forTarget(Target.XDP).name("jbpf_dsl_xredir")
                .when(echoRequestToB()).then(countPerCpu("redirected"), redirect(cIndex)).build();
        PacketProgram count = PacketProgram.forTarget(Target.XDP).name("jbpf_dsl_xcount")
                .when(echoRequestToB()).then(countPerCpu("arrived", 1), drop()).build();
        try (KernelPacketProgram r = redirect.load(); KernelPacketProgram c = count.load();
                XdpLink counting = nsB.run(() -> XdpLink.attach(c.program(), D_IF, XdpMode.DEFAULT));
                XdpLink redirecting = nsB.run(() -> XdpLink.attach(r.program(), NetLab.B_IF, XdpMode.DEFAULT))) {
            assertThat(lab.pingAtoB()).isFalse();
            long[] sent = counter(r.map("redirected"), 0);
            long[] arrived = counter(c.map("arrived"), 1);
            assertThat(sent[0]).isGreaterThanOrEqualTo(3);
            assertThat(arrived[0]).isEqualTo(sent[0]);
            assertThat(arrived[1]).isEqualTo(sent[0] * 98);
        }
        assertThat(lab.pingAtoB()).isTrue();
    }
}
