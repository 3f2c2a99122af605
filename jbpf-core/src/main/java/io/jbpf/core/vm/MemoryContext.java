package io.jbpf.core.vm;

/**
 * Raw memory: r1 points at a writable copy of {@code memory} and r2 holds its length (r1 and r2
 * are 0 for empty memory). What the program wrote is {@link RunResult#data()}. This is the
 * context of ISA conformance suites, not of any kernel program type.
 *
 * @param memory the bytes to run over
 */
public record MemoryContext(byte[] memory) implements Context {
    public MemoryContext {
        memory = memory.clone();
    }

    @Override
    public byte[] memory() {
        return memory.clone();
    }
}
