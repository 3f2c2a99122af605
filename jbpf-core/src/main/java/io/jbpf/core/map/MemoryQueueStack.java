package io.jbpf.core.map;

import io.jbpf.core.Errno;
import java.util.ArrayDeque;

/**
 * QUEUE (first in, first out) and STACK (last in, first out). User space pushes with
 * {@code update(null, value, flags)}, peeks with {@code lookup} and pops with {@code lookupAndDelete};
 * delete and next key fail with EINVAL as in the kernel.
 */
final class MemoryQueueStack extends MemoryMapBase {
    private static final int CREATE_FLAGS = MapFlags.NUMA_NODE | ACCESS_MASK;

    private final boolean stack;
    /** Oldest first. */
    private final ArrayDeque<byte[]> values = new ArrayDeque<>();

    MemoryQueueStack(MapSpec spec, int cpus) {
        super(spec, cpus);
        allowFlags(spec, CREATE_FLAGS);
        require(spec, spec.keySize() == 0 && spec.valueSize() > 0 && spec.maxEntries() > 0, Errno.EINVAL,
                "queues and stacks have no key, and a positive value size and max entries");
        this.stack = spec.type() == MapType.STACK;
    }

    @Override
    int doPush(byte[] value, long flags) {
        if ((flags & MapFlags.NOEXIST) != 0 || Long.compareUnsigned(flags, MapFlags.EXIST) > 0) {
            return EINVAL;
        }
        if (values.size() >= spec.maxEntries()) {
            if (flags != MapFlags.EXIST) {
                return E2BIG;
            }
            values.pollFirst(); // BPF_EXIST: the oldest value makes room, for stacks too
        }
        values.addLast(value.clone());
        return 0;
    }

    @Override
    int doPop(byte[] into) {
        byte[] v = stack ? values.pollLast() : values.pollFirst();
        if (v == null) {
            return ENOENT;
        }
        System.arraycopy(v, 0, into, 0, v.length);
        return 0;
    }

    @Override
    int doPeek(byte[] into) {
        byte[] v = stack ? values.peekLast() : values.peekFirst();
        if (v == null) {
            return ENOENT;
        }
        System.arraycopy(v, 0, into, 0, v.length);
        return 0;
    }

    @Override
    int doLookup(byte[] key, byte[] value) {
        return doPeek(value);
    }

    @Override
    int doUpdate(byte[] key, byte[] value, long flags) {
        return doPush(value, flags);
    }

    @Override
    int doDelete(byte[] key) {
        return EINVAL;
    }

    @Override
    int doNextKey(byte[] key, byte[] next) {
        return EINVAL;
    }

    @Override
    int doLookupAndDelete(byte[] key, byte[] value) {
        return doPop(value);
    }

    @Override
    int programUpdate(byte[] key, byte[] value, long flags, int cpu) {
        return EINVAL;
    }

    @Override
    int programDelete(byte[] key) {
        return EINVAL;
    }
}
