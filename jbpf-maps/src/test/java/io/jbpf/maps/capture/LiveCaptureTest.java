package io.jbpf.maps.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.dsl.filter.PcapFilter;
import io.jbpf.core.dsl.filter.PcapFilterSyntaxException;
import io.jbpf.core.link.AttachException;
import io.jbpf.core.link.AttachTargetNotFoundException;
import io.jbpf.core.pcap.PcapReader;
import io.jbpf.core.pcap.PcapRecord;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import io.jbpf.core.testing.Shell;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live captures on a veth inside a pair of network namespaces the test creates (NetLab: nothing
 * is routed from the root namespace): pings and UDP datagrams go from A to B while a capture is
 * attached to B's end in B's namespace, and tcpdump, started first on the same interface, records
 * what really arrived. The capture must hand out exactly the arriving packets the expression
 * selects, with tcpdump's bytes, and count them.
 */
@KernelTest
class LiveCaptureTest {
    @TempDir
    Path dir;

    /** What one capture run handed out and counted, and what tcpdump saw arrive meanwhile. */
    record Outcome(List<CapturedPacket> packets, CaptureCounts counts, List<PcapRecord> arrived) {
    }

    @Test
    void xdpCapturesThePingsButNotTheUdp() throws Exception {
        pingsButNotUdp(AttachPoint.XDP);
    }

    @Test
    void xdpGenericCapturesThePingsButNotTheUdp() throws Exception {
        pingsButNotUdp(AttachPoint.XDP_GENERIC);
    }

    @Test
    void tcIngressCapturesThePingsButNotTheUdp() throws Exception {
        pingsButNotUdp(AttachPoint.TC_INGRESS);
    }

    private void pingsButNotUdp(AttachPoint point) throws Exception {
        Outcome o = capture(point, "icmp", 128, lab -> {
            ping(lab, 3, 56);
            udp(lab, 3);
        });
        PcapFilter icmp = PcapFilter.compile("icmp");
        List<PcapRecord> arrivedIcmp = o.arrived().stream().filter(r -> icmp.matches(r.data(), r.originalLength()))
                .toList();
        PcapFilter udp = PcapFilter.compile("udp port 5353");
        assertThat(o.arrived().stream().filter(r -> udp.matches(r.data(), r.originalLength())))
                .as("the UDP datagrams arrived").hasSize(3);
        assertThat(arrivedIcmp).as("the echo requests arrived").hasSize(3);
        assertThat(o.packets()).as(point + ": the pings and only them").hasSize(3);
        for (int i = 0; i < 3; i++) {
            CapturedPacket p = o.packets().get(i);
            assertThat(p.index()).isEqualTo(i);
            assertThat(icmp.matches(p.data(), p.originalLength())).isTrue();
            assertThat(p.data()[14 + 20]).as("an echo request").isEqualTo((byte) 8);
            assertThat(p.originalLength()).isEqualTo(98).isEqualTo(p.capturedLength());
            assertThat(p.data()).as("the bytes tcpdump saw").isEqualTo(arrivedIcmp.get(i).data());
        }
        assertThat(o.counts().matched()).isEqualTo(3);
        assertThat(o.counts().received()).isEqualTo(3);
        assertThat(o.counts().lost()).isZero();
        assertThat(o.counts().seen()).as("seen: the pings, the datagrams and more").isGreaterThanOrEqualTo(6);
    }

    @Test
    void keepsTheSnapLengthOfLongPackets() throws Exception {
        Outcome o = capture(AttachPoint.XDP, "icmp[icmptype] = icmp-echo", 64, lab -> ping(lab, 2, 200));
        PcapFilter echo = PcapFilter.compile("icmp[icmptype] = icmp-echo");
        List<PcapRecord> arrived = o.arrived().stream().filter(r -> echo.matches(r.data(), r.originalLength())).toList();
        assertThat(o.packets()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            CapturedPacket p = o.packets().get(i);
            assertThat(p.originalLength()).isEqualTo(14 + 20 + 8 + 200).isEqualTo(arrived.get(i).originalLength());
            assertThat(p.capturedLength()).isEqualTo(64);
            assertThat(p.data()).isEqualTo(Arrays.copyOf(arrived.get(i).data(), 64));
            assertThat(p.toPcapRecord().originalLength()).isEqualTo(242);
        }
    }

    @Test
    void stopsAfterThePacketLimitAndDetaches() throws Exception {
        try (NetLab lab = NetLab.create();
                LiveCapture cap = LiveCapture.on(NetLab.B_IF).expression("icmp").netns(lab.nsB()).start()) {
            List<CapturedPacket> got = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<CaptureCounts> run = CompletableFuture.supplyAsync(
                    () -> cap.run(got::add, 2, Duration.ofSeconds(30)));
            ping(lab, 4, 56);
            CaptureCounts c = run.get(10, TimeUnit.SECONDS);
            assertThat(got).extracting(CapturedPacket::index).containsExactly(0L, 1L);
            assertThat(cap.isDetached()).isTrue();
            assertThat(c.matched()).isBetween(2L, 4L);
            assertThat(c.received()).isEqualTo(c.matched());
            assertThat(c.lost()).isZero();
            long seen = c.seen();
            ping(lab, 1, 56);
            assertThat(cap.counts().seen()).as("detached: nothing more is seen").isEqualTo(seen);
            assertThat(cap.counts()).isEqualTo(c);
        }
    }

    @Test
    void closeFromAnotherThreadEndsARun() throws Exception {
        try (NetLab lab = NetLab.create()) {
            LiveCapture cap = LiveCapture.on(NetLab.B_IF).expression("icmp").attach(AttachPoint.TC_INGRESS)
                    .netns(lab.nsB()).start();
            CompletableFuture<CaptureCounts> run = CompletableFuture.supplyAsync(
                    () -> cap.run(p -> { }, 0, null));
            ping(lab, 1, 56);
            assertThat(run).isNotDone();
            cap.close();
            CaptureCounts c = run.get(5, TimeUnit.SECONDS);
            assertThat(c.matched()).isEqualTo(1);
            assertThat(c.received()).isEqualTo(1);
            assertThat(cap.isDetached()).isTrue();
            assertThat(cap.counts()).isEqualTo(c);
            assertThatThrownBy(() -> cap.poll(Duration.ZERO, p -> { })).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            cap.close();
        }
    }

    @Test
    void typedErrorsForBadInterfacesNamespacesAttachmentsAndExpressions() {
        assertThatThrownBy(() -> LiveCapture.on("x").expression("tcp and")).isInstanceOf(PcapFilterSyntaxException.class)
                .satisfies(e -> assertThat(((PcapFilterSyntaxException) e).column()).isEqualTo(8));
        try (NetLab lab = NetLab.create()) {
            assertThatThrownBy(() -> LiveCapture.on("jbpf-nosuch").netns(lab.nsB()).start())
                    .isInstanceOf(AttachTargetNotFoundException.class)
                    .hasMessageContaining("network interface 'jbpf-nosuch' not found")
                    .hasMessageContaining(lab.nsB());
            assertThatThrownBy(() -> LiveCapture.on(NetLab.B_IF).netns("jbpf-nosuch-" + ProcessHandle.current().pid())
                    .start()).isInstanceOf(AttachTargetNotFoundException.class)
                    .hasMessageContaining("network namespace");
            assertThatThrownBy(() -> LiveCapture.on(NetLab.B_IF).start()).as("not in the root namespace")
                    .isInstanceOf(AttachTargetNotFoundException.class)
                    .hasMessageContaining("this network namespace");
            try (LiveCapture first = LiveCapture.on(NetLab.B_IF).netns(lab.nsB()).start()) {
                assertThatThrownBy(() -> LiveCapture.on(NetLab.B_IF).netns(lab.nsB()).start())
                        .isInstanceOf(AttachException.class)
                        .hasMessageContaining("already attached");
                assertThat(first.isDetached()).isFalse();
            }
            assertThatThrownBy(() -> LiveCapture.on("lo").attach(AttachPoint.XDP_NATIVE).netns(lab.nsB()).start())
                    .isInstanceOf(AttachException.class)
                    .hasMessageContaining("does not support");
        }
    }

    /** Traffic sent while a capture runs. */
    interface Traffic {
        void send(NetLab lab) throws Exception;
    }

    /**
     * Starts tcpdump on B's interface (arriving packets), then the capture there, sends the
     * traffic, stops both and returns what each saw.
     */
    private Outcome capture(AttachPoint point, String expr, int snap, Traffic traffic) throws Exception {
        Path ref = dir.resolve("arrived-" + point + ".pcap");
        List<CapturedPacket> got = Collections.synchronizedList(new ArrayList<>());
        CaptureCounts counts;
        try (NetLab lab = NetLab.create()) {
            Process tcpdump = new ProcessBuilder("ip", "netns", "exec", lab.nsB(), "tcpdump", "-i", NetLab.B_IF, "-Q",
                    "in", "--immediate-mode", "-U", "-n", "-s", "0", "-w", ref.toString()).start();
            try {
                BufferedReader err = new BufferedReader(new InputStreamReader(tcpdump.getErrorStream(),
                        StandardCharsets.UTF_8));
                assertThat(err.readLine()).as("tcpdump's first line").contains("listening on");
                try (LiveCapture cap = LiveCapture.on(NetLab.B_IF).expression(expr).attach(point).snapLength(snap)
                        .netns(lab.nsB()).start()) {
                    CompletableFuture<CaptureCounts> run = CompletableFuture.supplyAsync(
                            () -> cap.run(got::add, 0, Duration.ofSeconds(30)));
                    traffic.send(lab);
                    Thread.sleep(200);
                    cap.stop();
                    counts = run.get(10, TimeUnit.SECONDS);
                }
                Thread.sleep(500);
            } finally {
                tcpdump.destroy();
                tcpdump.waitFor(5, TimeUnit.SECONDS);
            }
        }
        List<PcapRecord> arrived = PcapReader.readAll(ref);
        return new Outcome(List.copyOf(got), counts, arrived);
    }

    private static void ping(NetLab lab, int count, int size) {
        Shell.check("ip", "netns", "exec", lab.nsA(), "ping", "-c", Integer.toString(count), "-i", "0.2", "-s",
                Integer.toString(size), "-W", "1", lab.addressB());
    }

    private static void udp(NetLab lab, int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            s.append("echo ").append(i).append(" >/dev/udp/").append(lab.addressB()).append("/5353; ");
        }
        Shell.check("ip", "netns", "exec", lab.nsA(), "bash", "-c", s.toString());
    }
}
