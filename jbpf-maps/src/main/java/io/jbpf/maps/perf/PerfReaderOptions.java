package io.jbpf.maps.perf;

/**
 * How a {@link PerfEventReader} sizes and wakes its per-CPU buffers.
 *
 * @param pagesPerCpu    data pages of each CPU's ring: a power of two (the ring also has one
 *                       metadata page)
 * @param wakeupEvents   wake a waiting reader after this many samples (used when
 *                       {@code watermarkBytes} is 0)
 * @param watermarkBytes wake a waiting reader once this many bytes are pending, or 0 to count
 *                       samples instead
 */
public record PerfReaderOptions(int pagesPerCpu, int wakeupEvents, int watermarkBytes) {

    /** Eight pages per CPU, woken at every sample. */
    public static final PerfReaderOptions DEFAULT = new PerfReaderOptions(8, 1, 0);

    public PerfReaderOptions {
        if (pagesPerCpu <= 0 || Integer.bitCount(pagesPerCpu) != 1) {
            throw new IllegalArgumentException("pages per CPU must be a power of two, not " + pagesPerCpu);
        }
        if (wakeupEvents < 1) {
            throw new IllegalArgumentException("wakeup events must be at least 1, not " + wakeupEvents);
        }
        if (watermarkBytes < 0) {
            throw new IllegalArgumentException("the watermark must not be negative: " + watermarkBytes);
        }
    }

    /** These options with {@code pages} data pages per CPU. */
    public PerfReaderOptions withPagesPerCpu(int pages) {
        return new PerfReaderOptions(pages, wakeupEvents, watermarkBytes);
    }

    /** These options waking after {@code events} samples. */
    public PerfReaderOptions withWakeupEvents(int events) {
        return new PerfReaderOptions(pagesPerCpu, events, 0);
    }

    /** These options waking once {@code bytes} are pending. */
    public PerfReaderOptions withWatermarkBytes(int bytes) {
        return new PerfReaderOptions(pagesPerCpu, wakeupEvents, bytes);
    }
}
