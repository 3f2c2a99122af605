package io.jbpf.core.vm.internal;

import java.util.Arrays;

/** Raw memory: r1 = the memory, r2 = its length. */
final class MemoryState extends ContextState {
    private final Memory memory;
    private final int region;
    private final int length;

    MemoryState(Memory memory, byte[] bytes) {
        this.memory = memory;
        this.length = bytes.length;
        this.region = bytes.length == 0 ? 0 : memory.add("memory", bytes, 0, bytes.length, false);
        memory.markPacket(region);
    }

    @Override
    public long r1() {
        return region == 0 ? 0 : Memory.address(region, 0);
    }

    @Override
    public long r2() {
        return length;
    }

    @Override
    public byte[] data() {
        return region == 0 ? new byte[0] : Arrays.copyOf(memory.array(region), length);
    }

    @Override
    public long redirectVerdict() {
        return 0;
    }

    @Override
    public boolean isContext(long address) {
        return region != 0 && address == Memory.address(region, 0);
    }
}
