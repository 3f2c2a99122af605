package io.jbpf.cli;

import java.nio.ByteOrder;
import picocli.CommandLine.Option;

/** {@code --big-endian}: instructions for big-endian targets (bpfeb); little-endian by default. */
final class ByteOrderOption {
    @Option(names = "--big-endian", description = "Encode/decode instructions big-endian (bpfeb).")
    boolean bigEndian;

    ByteOrder order() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }
}
