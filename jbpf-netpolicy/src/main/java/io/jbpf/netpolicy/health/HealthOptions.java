package io.jbpf.netpolicy.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How often the health prober probes and how long one probe may take.
 *
 * @param interval the time from the start of one probe round to the start of the next
 * @param timeout  the most one probe (connect, request, answer) may take before it counts as failed
 */
public record HealthOptions(Duration interval, Duration timeout) {
    /** Every 5 seconds, each probe at most 1 second. */
    public static final HealthOptions DEFAULTS = new HealthOptions(Duration.ofSeconds(5), Duration.ofSeconds(1));

    /** @throws IllegalArgumentException when a duration is not positive */
    public HealthOptions {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the health probe interval must be positive, not " + interval);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the health probe timeout must be positive, not " + timeout);
        }
    }

    /** These options with {@code interval} instead. */
    public HealthOptions withInterval(Duration interval) {
        return new HealthOptions(interval, timeout);
    }
}
