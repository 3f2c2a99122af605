package io.jbpf.core.pcap;

import io.jbpf.core.JbpfException;

/** Bytes that are not a classic pcap file: a bad magic number, a truncated header or record. */
public class PcapFormatException extends JbpfException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    /** A problem found at byte {@code offset} of the file. */
    public PcapFormatException(long offset, String problem) {
        super("pcap, at byte " + offset + ": " + problem);
        this.offset = offset;
    }

    /** The byte offset in the file where the problem was found. */
    public long offset() {
        return offset;
    }
}
