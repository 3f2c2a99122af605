package io.jbpf.core.map;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.internal.sys.Cpus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every in-memory map shares: the spec, the size checks of {@link KernelMap}, permissions and
 * freezing, the errno-to-exception step of the user side, and per-CPU value layout. Subclasses
 * implement the {@code do…} operations as the kernel's map ops: 0 or a negative errno.
 */
abstract class MemoryMapBase implements MemoryMap {
    static final int EPERM = -Errno.EPERM.number();
    static final int ENOENT = -Errno.ENOENT.number();
    static final int E2BIG = -Errno.E2BIG.number();
    static final int EAGAIN = -Errno.EAGAIN.number();
    static final int EACCES = -Errno.EACCES.number();
    static final int EEXIST = -Errno.EEXIST.number();
    static final int EINVAL = -Errno.EINVAL.number();
    static final int ENOSPC = -Errno.ENOSPC.number();
    static final int EOPNOTSUPP = -Errno.EOPNOTSUPP.number();
    static final int ENOTSUPP = -Errno.ENOTSUPP.number();

    /** {@code BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG}: every type takes them. */
    static final int ACCESS_MASK = MapFlags.RDONLY | MapFlags.WRONLY | MapFlags.RDONLY_PROG | MapFlags.WRONLY_PROG;

    private static final AtomicInteger IDS = new AtomicInteger();

    final MapSpec spec;
    final int cpus;
    final int slotSize;
    final int valueBufferSize;
    private final int id;
    private boolean frozen;
    private volatile boolean closed;

    MemoryMapBase(MapSpec spec, int cpus) {
        this.spec = spec;
        this.cpus = cpus;
        this.slotSize = Buffers.slotSize(spec);
        this.valueBufferSize = Buffers.valueBufferSize(spec, cpus);
        this.id = IDS.incrementAndGet();
    }

    // ---- creation ----

    private static final class PossibleCpus {
        static final int COUNT = count();

        private static int count() {
            try {
                return Cpus.possible();
            } catch (RuntimeException | LinkageError e) {
                // no /sys (not Linux): what the JVM sees is the best guess
                return Runtime.getRuntime().availableProcessors();
            }
        }
    }

    static int possibleCpus() {
        return PossibleCpus.COUNT;
    }

    static MemoryMap create(MapSpec spec, int cpus) {
        if (cpus < 1) {
            throw new IllegalArgumentException("map '" + spec.name() + "': " + cpus + " CPUs (at least 1)");
        }
        int f = spec.flags();
        if ((f & MapFlags.RDONLY) != 0 && (f & MapFlags.WRONLY) != 0
                || (f & MapFlags.RDONLY_PROG) != 0 && (f & MapFlags.WRONLY_PROG) != 0) {
            throw refused(spec, Errno.EINVAL, "RDONLY and WRONLY together");
        }
        switch (spec.type()) {
            case HASH:
            case PERCPU_HASH:
            case LRU_HASH:
            case LRU_PERCPU_HASH:
                return new MemoryHashMap(spec, cpus);
            case ARRAY:
            case PERCPU_ARRAY:
                return new MemoryArrayMap(spec, cpus);
            case LPM_TRIE:
                return new MemoryLpmTrie(spec, cpus);
            case QUEUE:
            case STACK:
                return new MemoryQueueStack(spec, cpus);
            case BLOOM_FILTER:
                return new MemoryBloomFilter(spec, cpus);
            case RINGBUF:
                return new MemoryRingBufferMap(spec, cpus);
            case PROG_ARRAY:
            case ARRAY_OF_MAPS:
            case HASH_OF_MAPS:
                return new MemoryTargetMap(spec, cpus);
            default:
                throw new UnsupportedOperationException("map '" + spec.name() + "': no in-memory " + spec.type()
                        + " map (in-memory types: HASH, ARRAY, PERCPU_HASH, PERCPU_ARRAY, LRU_HASH, LRU_PERCPU_HASH,"
                        + " LPM_TRIE, QUEUE, STACK, BLOOM_FILTER, RINGBUF, PROG_ARRAY, ARRAY_OF_MAPS, HASH_OF_MAPS)");
        }
    }

    /** The exception {@code BPF_MAP_CREATE} would end in. */
    static BpfException refused(MapSpec spec, Errno errno, String why) {
        return new BpfException(BpfCommand.MAP_CREATE, errno, "map '" + spec.name() + "' (" + spec.type() + "), in memory: "
                + why);
    }

    /** Refuses creation flags outside {@code allowed}, as each type's {@code map_alloc_check} does. */
    static void allowFlags(MapSpec spec, int allowed) {
        int extra = spec.flags() & ~allowed;
        if (extra != 0) {
            throw refused(spec, Errno.EINVAL, "flags 0x" + Integer.toHexString(extra) + " are not valid for " + spec.type());
        }
    }

    static void require(MapSpec spec, boolean ok, Errno errno, String why) {
        if (!ok) {
            throw refused(spec, errno, why);
        }
    }

    // ---- common accessors ----

    @Override
    public final MapSpec spec() {
        return spec;
    }

    @Override
    public final int cpus() {
        return cpus;
    }

    @Override
    public final int id() {
        return id;
    }

    @Override
    public final int valueBufferSize() {
        return valueBufferSize;
    }

    @Override
    public synchronized boolean frozen() {
        return frozen;
    }

    @Override
    public synchronized void freeze() {
        open();
        if (!userWritable()) {
            // a frozen map is no longer writable: the kernel's permission check says EPERM before its EBUSY
            throw new BpfException(BpfCommand.MAP_FREEZE, Errno.EPERM, "freeze map '" + spec.name() + "'");
        }
        frozen = true;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "MemoryMap[" + spec + ", id " + id + (cpus != 1 && spec.type().perCpu() ? ", " + cpus + " CPUs" : "") + "]";
    }

    // ---- user side ----

    final void open() {
        if (closed) {
            throw new ObjectClosedException("in-memory map '" + spec.name() + "'");
        }
    }

    final boolean userReadable() {
        return (spec.flags() & MapFlags.WRONLY) == 0;
    }

    final boolean userWritable() {
        return (spec.flags() & MapFlags.RDONLY) == 0 && !frozen;
    }

    final void checkKey(byte[] key) {
        Buffers.checkKey(spec, key);
    }

    final void checkValue(byte[] value) {
        Buffers.checkValue(spec, valueBufferSize, cpus, value);
    }

    /** Throws what {@link KernelMap} would for {@code r} (a negative errno). */
    final void check(BpfCommand cmd, int r, String op) {
        if (r < 0) {
            throw new BpfException(cmd, Errno.of(-r), op + " in map '" + spec.name() + "'");
        }
    }

    @Override
    public final synchronized boolean lookup(byte[] key, byte[] value) {
        checkKey(key);
        checkValue(value);
        open();
        int r = userReadable() ? doLookup(key, value) : EPERM;
        if (r == ENOENT) {
            return false;
        }
        check(BpfCommand.MAP_LOOKUP_ELEM, r, "lookup");
        return true;
    }

    @Override
    public final synchronized void update(byte[] key, byte[] value, long flags) {
        checkKey(key);
        checkValue(value);
        open();
        int r;
        if (!userWritable()) {
            r = EPERM;
        } else if ((flags & MapFlags.LOCK) != 0) {
            r = EINVAL; // BPF_F_LOCK needs a bpf_spin_lock in the value, which an in-memory map never has
        } else {
            r = doUpdate(key, value, flags);
        }
        check(BpfCommand.MAP_UPDATE_ELEM, r, "update");
    }

    @Override
    public final synchronized boolean delete(byte[] key) {
        checkKey(key);
        open();
        int r = userWritable() ? doDelete(key) : EPERM;
        if (r == ENOENT) {
            return false;
        }
        check(BpfCommand.MAP_DELETE_ELEM, r, "delete");
        return true;
    }

    @Override
    public final synchronized boolean nextKey(byte[] key, byte[] next) {
        if (key != null) {
            checkKey(key);
        }
        if (next.length != spec.keySize()) {
            throw new IllegalArgumentException("map '" + spec.name() + "': next-key buffer is " + next.length
                    + " bytes, the map's keys are " + spec.keySize());
        }
        open();
        int r = userReadable() ? doNextKey(key, next) : EPERM;
        if (r == ENOENT) {
            return false;
        }
        check(BpfCommand.MAP_GET_NEXT_KEY, r, "next key");
        return true;
    }

    @Override
    public final synchronized boolean lookupAndDelete(byte[] key, byte[] value) {
        checkKey(key);
        checkValue(value);
        open();
        int r = userReadable() && userWritable() ? doLookupAndDelete(key, value) : EPERM;
        if (r == ENOENT) {
            return false;
        }
        check(BpfCommand.MAP_LOOKUP_AND_DELETE_ELEM, r, "lookup and delete");
        return true;
    }

    /** User-side lookup into {@code value} (user layout); 0 or -errno. */
    abstract int doLookup(byte[] key, byte[] value);

    /** User-side update from {@code value} (user layout), flags without LOCK; 0 or -errno. */
    abstract int doUpdate(byte[] key, byte[] value, long flags);

    /** User-side delete; 0 or -errno. */
    abstract int doDelete(byte[] key);

    /** User-side next key; 0 or -errno. */
    abstract int doNextKey(byte[] key, byte[] next);

    /** User-side lookup and delete: the kernel has it for queues, stacks and hashes only. */
    int doLookupAndDelete(byte[] key, byte[] value) {
        return ENOTSUPP;
    }

    // ---- program side ----

    final void checkCpu(int cpu) {
        if (cpu < 0 || cpu >= cpus) {
            throw new IllegalArgumentException("map '" + spec.name() + "': CPU " + cpu + " is not in [0, " + cpus + ")");
        }
    }

    final void checkProgramValue(byte[] value) {
        if (value.length != spec.valueSize()) {
            throw new IllegalArgumentException("map '" + spec.name() + "': value is " + value.length
                    + " bytes, the map's values are " + spec.valueSize());
        }
    }

    /** Whether programs may not write ({@link MapFlags#RDONLY_PROG}: the verifier refuses with EACCES). */
    final boolean programReadOnly() {
        return (spec.flags() & MapFlags.RDONLY_PROG) != 0;
    }

    @Override
    public final synchronized byte[] lookupForProgram(byte[] key, int cpu) {
        checkKey(key);
        checkCpu(cpu);
        return programLookup(key, cpu);
    }

    @Override
    public final byte[] lookupForProgram(byte[] memory, int offset, int cpu) {
        Objects.checkFromIndexSize(offset, spec.keySize(), memory.length);
        checkCpu(cpu);
        return programLookupAt(memory, offset, cpu);
    }

    /** The program lookup of the key in place (checked to fit): a copy of it under the lock, unless the type knows better. */
    byte[] programLookupAt(byte[] memory, int offset, int cpu) {
        byte[] key = Arrays.copyOfRange(memory, offset, offset + spec.keySize());
        synchronized (this) {
            return programLookup(key, cpu);
        }
    }

    @Override
    public final synchronized int updateFromProgram(byte[] key, byte[] value, long flags, int cpu) {
        checkKey(key);
        checkProgramValue(value);
        checkCpu(cpu);
        if (programReadOnly()) {
            return EACCES;
        }
        if ((flags & MapFlags.LOCK) != 0) {
            return EINVAL;
        }
        return programUpdate(key, value, flags, cpu);
    }

    @Override
    public final int updateFromProgram(byte[] keyMemory, int keyOffset, byte[] valueMemory, int valueOffset, long flags,
            int cpu) {
        Objects.checkFromIndexSize(keyOffset, spec.keySize(), keyMemory.length);
        Objects.checkFromIndexSize(valueOffset, spec.valueSize(), valueMemory.length);
        checkCpu(cpu);
        synchronized (this) {
            if (programReadOnly()) {
                return EACCES;
            }
            if ((flags & MapFlags.LOCK) != 0) {
                return EINVAL;
            }
            return programUpdateAt(keyMemory, keyOffset, valueMemory, valueOffset, flags, cpu);
        }
    }

    /** The program update of the key and value in place (checked to fit, under the lock): copies of them, unless the type knows better. */
    int programUpdateAt(byte[] keyMemory, int keyOffset, byte[] valueMemory, int valueOffset, long flags, int cpu) {
        return programUpdate(Arrays.copyOfRange(keyMemory, keyOffset, keyOffset + spec.keySize()),
                Arrays.copyOfRange(valueMemory, valueOffset, valueOffset + spec.valueSize()), flags, cpu);
    }

    @Override
    public final synchronized int deleteFromProgram(byte[] key) {
        checkKey(key);
        return programReadOnly() ? EACCES : programDelete(key);
    }

    @Override
    public final synchronized int push(byte[] value, long flags) {
        checkProgramValue(value);
        return programReadOnly() ? EACCES : doPush(value, flags);
    }

    @Override
    public final synchronized int pop(byte[] into) {
        checkProgramValue(into);
        return programReadOnly() ? EACCES : doPop(into);
    }

    @Override
    public final synchronized int peek(byte[] into) {
        checkProgramValue(into);
        return doPeek(into);
    }

    byte[] programLookup(byte[] key, int cpu) {
        return null;
    }

    int programUpdate(byte[] key, byte[] value, long flags, int cpu) {
        return EOPNOTSUPP;
    }

    int programDelete(byte[] key) {
        return EOPNOTSUPP;
    }

    int doPush(byte[] value, long flags) {
        return EOPNOTSUPP;
    }

    int doPop(byte[] into) {
        return EOPNOTSUPP;
    }

    int doPeek(byte[] into) {
        return EOPNOTSUPP;
    }

    // ---- targets: only the target maps have them ----

    final UnsupportedOperationException noTargets() {
        return new UnsupportedOperationException("map '" + spec.name() + "' is a " + spec.type()
                + ": only PROG_ARRAY, ARRAY_OF_MAPS and HASH_OF_MAPS hold targets");
    }

    @Override
    public Object target(int index) {
        throw noTargets();
    }

    @Override
    public Object target(byte[] key) {
        throw noTargets();
    }

    @Override
    public void setTarget(int index, Object target) {
        throw noTargets();
    }

    @Override
    public void setTarget(byte[] key, Object target) {
        throw noTargets();
    }

    @Override
    public boolean clearTarget(int index) {
        throw noTargets();
    }

    @Override
    public boolean clearTarget(byte[] key) {
        throw noTargets();
    }

    // ---- per-CPU layout and helpers ----

    /** The kernel's update flags check ({@code (flags & ~BPF_F_LOCK) > BPF_EXIST}). */
    static boolean badUpdateFlags(long flags) {
        return Long.compareUnsigned(flags & ~MapFlags.LOCK, MapFlags.EXIST) > 0;
    }

    /** Fresh slots for a new element: from the user layout, or {@code value} in slot {@code cpu} and zeros elsewhere. */
    final byte[][] newSlots(byte[] value, int cpu) {
        return newSlots(value, 0, cpu);
    }

    /** {@link #newSlots(byte[], int)} of the value starting at {@code value[from]}. */
    final byte[][] newSlots(byte[] value, int from, int cpu) {
        int n = spec.type().perCpu() ? cpus : 1;
        byte[][] slots = new byte[n][spec.valueSize()];
        writeSlots(slots, value, from, cpu);
        return slots;
    }

    /** Copies {@code value} into {@code slots}: all of them from the user layout ({@code cpu} -1), else slot {@code cpu}. */
    final void writeSlots(byte[][] slots, byte[] value, int cpu) {
        writeSlots(slots, value, 0, cpu);
    }

    /** {@link #writeSlots(byte[][], byte[], int)} of the value starting at {@code value[from]}. */
    final void writeSlots(byte[][] slots, byte[] value, int from, int cpu) {
        if (slots.length == 1) {
            System.arraycopy(value, from, slots[0], 0, spec.valueSize());
        } else if (cpu < 0) {
            for (int c = 0; c < slots.length; c++) {
                System.arraycopy(value, from + c * slotSize, slots[c], 0, spec.valueSize());
            }
        } else {
            System.arraycopy(value, from, slots[cpu], 0, spec.valueSize());
        }
    }

    /** Copies {@code slots} into {@code value} in the user layout (per-CPU padding zeroed). */
    final void readSlots(byte[][] slots, byte[] value) {
        if (slots.length == 1) {
            System.arraycopy(slots[0], 0, value, 0, spec.valueSize());
            return;
        }
        Arrays.fill(value, (byte) 0);
        for (int c = 0; c < slots.length; c++) {
            System.arraycopy(slots[c], 0, value, c * slotSize, spec.valueSize());
        }
    }

    /** The slot a program sees: slot {@code cpu} of a per-CPU value, the value otherwise. */
    static byte[] slot(byte[][] slots, int cpu) {
        return slots.length == 1 ? slots[0] : slots[cpu];
    }

    static int u32(byte[] key) {
        return ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).getInt(0);
    }

    static byte[] u32Key(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    /** A key by content, for hash-keyed storage. */
    static final class Key implements Comparable<Key> {
        private static final java.lang.invoke.VarHandle LE64 = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
                long[].class, ByteOrder.LITTLE_ENDIAN);
        private static final java.lang.invoke.VarHandle LE32 = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
                int[].class, ByteOrder.LITTLE_ENDIAN);

        final byte[] bytes;
        final int hash;
        /** The bytes as one little-endian long when there are at most 8 of them, else 0. */
        final long small;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.small = bytes.length <= 8 ? small(bytes, 0, bytes.length) : 0;
            this.hash = bytes.length <= 8 ? mix(small) : hash(bytes, 0, bytes.length);
        }

        /** The key {@code b[off, off + len)} of at most 8 bytes as one little-endian long. */
        static long small(byte[] b, int off, int len) {
            if (len == 8) {
                return (long) LE64.get(b, off);
            }
            if (len == 4) {
                return (int) LE32.get(b, off) & 0xffffffffL;
            }
            long v = 0;
            for (int i = len - 1; i >= 0; i--) {
                v = (v << 8) | (b[off + i] & 0xffL);
            }
            return v;
        }

        /** The hash of a key of at most 8 bytes, from {@link #small}. */
        static int mix(long small) {
            long v = small * 0x9e3779b97f4a7c15L;
            return (int) (v ^ (v >>> 32));
        }

        /**
         * The hash of the key {@code b[off, off + len)}, the same for a key stored and one
         * looked up in place: keys of up to 8 bytes are mixed as one long.
         */
        static int hash(byte[] b, int off, int len) {
            if (len <= 8) {
                return mix(small(b, off, len));
            }
            int h = 1;
            for (int i = off, end = off + len; i < end; i++) {
                h = 31 * h + b[i];
            }
            return h;
        }

        static Key copyOf(byte[] bytes) {
            return new Key(bytes == null ? new byte[0] : bytes.clone());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public int compareTo(Key o) {
            return Arrays.compareUnsigned(bytes, o.bytes);
        }
    }
}
