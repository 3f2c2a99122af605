package io.jbpf.netpolicy.health;

import io.jbpf.netpolicy.lab.Ipv4;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One probe of one address: an HTTP {@code GET /hello} to {@code address:port}.
 *
 * @param address   what was probed
 * @param port      on which port
 * @param reachable whether the responder answered {@code 200} within the timeout
 * @param latency   from the start of the connection to the answer's status line (when reachable),
 *                  or until the probe gave up
 * @param time      when the probe started
 * @param error     why it failed (a refused connection, a timeout, an unexpected answer); empty when
 *                  reachable
 */
public record ProbeResult(Ipv4 address, int port, boolean reachable, Duration latency, Instant time, String error) {
    /** Checks for nulls. */
    public ProbeResult {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(error, "error");
    }
}
