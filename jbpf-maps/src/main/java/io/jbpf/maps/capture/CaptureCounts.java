package io.jbpf.maps.capture;

/**
 * The counts of a {@link LiveCapture}.
 *
 * @param seen the packets the program ran on (summed over the CPUs)
 * @param matched the packets the filter matched
 * @param received the records read from the ring buffer (handed out, or dropped after the
 *        capture's packet limit)
 * @param lost the matches whose record was lost because the ring was full: {@code matched - received};
 *        exact once the capture has stopped, while running it also counts records still in the ring
 */
public record CaptureCounts(long seen, long matched, long received, long lost) {
    @Override
    public String toString() {
        return seen + " packets seen, " + matched + " matched, " + lost + " lost";
    }
}
