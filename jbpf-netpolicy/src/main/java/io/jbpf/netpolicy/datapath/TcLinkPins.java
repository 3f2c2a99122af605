package io.jbpf.netpolicy.datapath;

import io.jbpf.core.Pins;
import io.jbpf.core.link.BpfLink;
import io.jbpf.core.link.TcDirection;
import io.jbpf.core.link.TcxLink;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.prog.Program;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TCX links pinned under a datapath directory's {@code links/}, one per device and direction
 * ({@code <ifname>_ingress}, {@code <ifname>_egress}), so that they outlive the process.
 */
final class TcLinkPins {
    private TcLinkPins() {}

    /**
     * Attaches {@code prog} to {@code ifname} in {@code ns} and pins the link; a device that already
     * has a pinned link gets the program by an atomic link update, so traffic is never unjudged.
     */
    static void attach(Path dir, NetNamespace ns, String ifname, TcDirection direction, Program prog) {
        Path pin = pin(dir, ifname, direction);
        try {
            Files.createDirectories(pin.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (Files.exists(pin)) {
            try (BpfLink l = BpfLink.openPinned(pin.toString())) {
                l.update(prog);
            }
            return;
        }
        try (TcxLink link = ns.run(() -> TcxLink.attach(prog, ifname, direction))) {
            link.pin(pin.toString());
        }
    }

    /** Whether both directions of {@code ifname} have pinned links. */
    static boolean attached(Path dir, String ifname) {
        return Files.exists(pin(dir, ifname, TcDirection.INGRESS)) && Files.exists(pin(dir, ifname, TcDirection.EGRESS));
    }

    /** Unpins (and so detaches) both directions' links; false when there were none. */
    static boolean detach(Path dir, String ifname) {
        boolean any = false;
        for (TcDirection d : new TcDirection[] {TcDirection.INGRESS, TcDirection.EGRESS}) {
            any |= Pins.unpin(pin(dir, ifname, d).toString());
        }
        return any;
    }

    static Path pin(Path dir, String ifname, TcDirection direction) {
        return dir.resolve("links").resolve(ifname + "_" + direction.name().toLowerCase());
    }
}
