package io.jbpf.cli;

import io.jbpf.core.dsl.filter.PacketSummary;
import io.jbpf.core.dsl.filter.PcapFilter;
import io.jbpf.core.pcap.PcapHeader;
import io.jbpf.core.pcap.PcapWriter;
import io.jbpf.maps.capture.AttachPoint;
import io.jbpf.maps.capture.CaptureCounts;
import io.jbpf.maps.capture.CapturedPacket;
import io.jbpf.maps.capture.LiveCapture;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code jbpf filter --iface}: starts a {@link LiveCapture} and prints what it hands out. */
final class LiveFilter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS")
            .withZone(ZoneId.systemDefault());

    private LiveFilter() {
    }

    static int run(FilterCommand c, PcapFilter filter, PrintWriter out, PrintWriter err) throws IOException {
        for (String pcapOnly : new String[] {"--pcap", "--engine", "--dump"}) {
            if (c.spec.commandLine().getParseResult().hasMatchedOption(pcapOnly)) {
                throw new IllegalArgumentException(pcapOnly + " reads a pcap file; it does not go with --iface");
            }
        }
        if (c.count < 0) {
            throw new IllegalArgumentException("--count " + c.count + ": give a positive number");
        }
        if (c.duration != null && !(c.duration > 0)) {
            throw new IllegalArgumentException("--duration " + c.duration + ": give a positive number of seconds");
        }
        AttachPoint point = attachPoint(c.attach);
        LiveCapture.Builder b = LiveCapture.on(c.iface).filter(filter).attach(point).snapLength(c.snaplen)
                .netns(c.netns);
        Duration limit = c.duration == null ? null : Duration.ofNanos((long) (c.duration * 1e9));
        // the shutdown hook (Ctrl-C) stops the capture and waits until the counts are printed and
        // everything is closed
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = null;
        try (LiveCapture cap = b.start();
                PcapWriter pcap = c.write == null ? null : PcapWriter.open(Files.newOutputStream(c.write),
                        PcapHeader.of(PcapHeader.LINKTYPE_ETHERNET).withSnapLength(c.snaplen))) {
            err.println("capturing on " + c.iface + (c.netns == null ? "" : " in netns " + c.netns) + " ("
                    + c.attach + "), " + c.snaplen + " bytes per packet: '" + filter.expression() + "'");
            err.flush();
            hook = new Thread(() -> {
                cap.stop();
                try {
                    finished.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "jbpf-filter-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            CaptureCounts counts = cap.run(p -> {
                out.println(line(p, c.print));
                out.flush();
                if (pcap != null) {
                    pcap.write(p.toPcapRecord());
                }
            }, c.count, limit);
            if (pcap != null) {
                pcap.flush();
            }
            err.println(counts);
            err.flush();
        } finally {
            finished.countDown();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running and has waited for this
                }
            }
        }
        return 0;
    }

    static String line(CapturedPacket p, boolean summary) {
        String s = p.index() + " " + TIME.format(p.timestamp()) + " " + p.originalLength();
        return summary ? s + " " + PacketSummary.of(p.data()) : s;
    }

    static AttachPoint attachPoint(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "xdp":
                return AttachPoint.XDP;
            case "xdp-generic":
                return AttachPoint.XDP_GENERIC;
            case "xdp-native":
                return AttachPoint.XDP_NATIVE;
            case "tc":
            case "tc-ingress":
                return AttachPoint.TC_INGRESS;
            case "tc-egress":
                return AttachPoint.TC_EGRESS;
            default:
                throw new IllegalArgumentException("--attach " + name + ": give xdp, xdp-generic, xdp-native, tc or"
                        + " tc-egress");
        }
    }
}
