package io.jbpf.core.vm.internal;

import io.jbpf.core.vm.MemoryFaultException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The address space of one run: numbered regions (context, packet, stack, map values, ring buffer
 * records), each a byte array with the window of offsets the program may touch. An address is the
 * region number in the upper 32 bits and the offset in the lower 32, so pointer arithmetic and
 * comparisons inside a region behave as in the kernel, and anything that strays out of a region
 * lands in no region at all. Number 0 is never a region, so null pointers fault.
 *
 * <p>Memory is little-endian, as on the hosts where the kernel runs these programs. Not
 * thread-safe: one run owns it.
 */
public final class Memory {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** More regions than this in one run is a program registering values without end. */
    public static final int MAX_REGIONS = 1 << 20;

    private byte[][] data = new byte[16][];
    private int[] lo = new int[16];
    private int[] hi = new int[16];
    private boolean[] readOnly = new boolean[16];
    /** A region's name for messages: a String, or an object whose toString renders it (built only for a message). */
    private Object[] names = new Object[16];
    private SpecialRegion[] special = new SpecialRegion[16];
    /** Each region's {@link AtomicStripes#hash}, 0 until its first atomic operation. */
    private int[] lockHash = new int[16];
    private int count = 1;
    private Map<byte[], Integer> byArray;
    /** The last few storage arrays {@link #regionOf} gave a region, looked at before {@link #byArray}. */
    private static final int RECENT = 4;
    private final byte[][] recent = new byte[RECENT][];
    private final int[] recentId = new int[RECENT];
    private int recentNext;
    private static final byte[] NONE = new byte[0];

    /** The address of {@code offset} in region {@code region}. */
    public static long address(int region, int offset) {
        return ((long) region << 32) | (offset & 0xffffffffL);
    }

    /** The region number of an address. */
    public static int region(long address) {
        return (int) (address >>> 32);
    }

    /** Adds a region over {@code bytes} whose accessible window is {@code [lo, hi)}; returns its number. */
    public int add(Object name, byte[] bytes, int lo, int hi, boolean readOnly) {
        if (count == MAX_REGIONS) {
            throw new MemoryFaultException(-1, 0, "the program used more than " + MAX_REGIONS + " memory regions in one run");
        }
        if (count == data.length) {
            int n = count * 2;
            data = Arrays.copyOf(data, n);
            this.lo = Arrays.copyOf(this.lo, n);
            this.hi = Arrays.copyOf(this.hi, n);
            this.readOnly = Arrays.copyOf(this.readOnly, n);
            names = Arrays.copyOf(names, n);
            special = Arrays.copyOf(special, n);
            lockHash = Arrays.copyOf(lockHash, n);
        }
        int id = count++;
        lockHash[id] = 0;
        data[id] = bytes;
        this.lo[id] = lo;
        this.hi[id] = hi;
        this.readOnly[id] = readOnly;
        names[id] = name;
        return id;
    }

    /** Adds a context region of {@code size} bytes whose accesses go through {@code access}. */
    public int addSpecial(String name, int size, SpecialRegion access) {
        int id = add(name, NONE, 0, size, false);
        special[id] = access;
        return id;
    }

    /**
     * The region over a map value or record's storage array, added on first use: the same array
     * always gets the same region, so two lookups of one key give equal pointers.
     */
    public int regionOf(byte[] storage, Object name, boolean readOnly) {
        for (int i = 0; i < RECENT; i++) {
            if (recent[i] == storage) {
                return recentId[i];
            }
        }
        if (byArray == null) {
            byArray = new IdentityHashMap<>();
        }
        Integer id = byArray.get(storage);
        if (id == null) {
            id = add(name, storage, 0, storage.length, readOnly);
            byArray.put(storage, id);
        }
        int slot = recentNext;
        recentNext = (slot + 1) & (RECENT - 1);
        recent[slot] = storage;
        recentId[slot] = id;
        return id;
    }

    /** The name of region {@code id}, for messages. */
    public String name(int id) {
        Object n = names[id];
        return n instanceof io.jbpf.core.map.MemoryMap map ? "value of map '" + map.spec().name() + "'" : String.valueOf(n);
    }

    /** The storage array of an address from {@link #regionOf}, or null. */
    public byte[] storageAt(long address) {
        int id = region(address);
        if (id <= 0 || id >= count || (int) address != lo[id]) {
            return null;
        }
        byte[] d = data[id];
        Integer registered = byArray == null ? null : byArray.get(d);
        return registered != null && registered == id ? d : null;
    }

    /** Drops every region from {@code keep} on, for the next run of a reused machine. */
    public void truncate(int keep) {
        if (packetId >= keep) {
            markPacket(0);
        }
        if (stackId >= keep) {
            markStack(0);
        }
        if (contextId >= keep) {
            markContext(0);
        }
        for (int i = keep; i < count; i++) {
            data[i] = null;
            special[i] = null;
            names[i] = null;
        }
        count = keep;
        if (byArray != null && !byArray.isEmpty()) {
            byArray.clear();
        }
        Arrays.fill(recent, null);
    }

    /** Moves the window of a region (the packet after {@code xdp_adjust_head}). */
    public void setWindow(int region, int newLo, int newHi) {
        lo[region] = newLo;
        hi[region] = newHi;
        remark(region);
    }

    /** Replaces the array behind a region (a packet that grew). */
    public void replace(int region, byte[] bytes) {
        data[region] = bytes;
        remark(region);
    }

    /*
     * The regions compiled code caches first, with their current array and window: the packet
     * (or raw memory) and the stack, both plain writable memory, and the context struct with its
     * access. Kept up to date by setWindow, replace and truncate, so that the JIT fills its caches
     * from a few fields. Region 0 (none) has no array and an empty window, which no access hits.
     */
    public int packetId;
    public byte[] packetData;
    public int packetLo;
    public int packetHi;
    public int stackId;
    public byte[] stackData;
    public int stackLo;
    public int stackHi;
    public int contextId;
    public SpecialRegion contextAccess;
    public int contextHi;

    /** Marks plain writable region {@code id} (0: none) as the packet. */
    public void markPacket(int id) {
        packetId = id;
        packetData = data[id];
        packetLo = lo[id];
        packetHi = hi[id];
    }

    /** Marks plain writable region {@code id} (0: none) as the stack. */
    public void markStack(int id) {
        stackId = id;
        stackData = data[id];
        stackLo = lo[id];
        stackHi = hi[id];
    }

    /** Marks special region {@code id} (0: none) as the context struct. */
    public void markContext(int id) {
        contextId = id;
        contextAccess = special[id];
        contextHi = hi[id];
    }

    private void remark(int region) {
        if (region == packetId) {
            markPacket(region);
        }
        if (region == stackId) {
            markStack(region);
        }
    }

    /** The array behind a region. */
    public byte[] array(int region) {
        return data[region];
    }

    /** The first accessible offset of a region. */
    public int low(int region) {
        return lo[region];
    }

    /** The end of the accessible window of a region. */
    public int high(int region) {
        return hi[region];
    }

    private int check(long addr, int size, int pc, boolean write) {
        int id = (int) (addr >>> 32);
        int off = (int) addr;
        if (id <= 0 || id >= count) {
            throw new MemoryFaultException(pc, addr, (write ? "write" : "read") + " of " + size + " bytes at 0x"
                    + Long.toHexString(addr) + ": not an address the program may touch"
                    + (addr == 0 ? " (a null pointer)" : ""));
        }
        if (off < lo[id] || off > hi[id] - size) {
            throw new MemoryFaultException(pc, addr, (write ? "write" : "read") + " of " + size + " bytes at offset "
                    + off + " of the " + name(id) + " is outside its accessible range [" + lo[id] + ", " + hi[id] + ")");
        }
        if (write && readOnly[id]) {
            throw new MemoryFaultException(pc, addr, "write of " + size + " bytes to the read-only " + name(id));
        }
        return id;
    }

    /** Loads {@code size} (1, 2, 4 or 8) bytes, zero-extended. */
    public long load(long addr, int size, int pc) {
        int id = check(addr, size, pc, false);
        int off = (int) addr;
        if (special[id] != null) {
            long v = special[id].load(off, size);
            if (v == SpecialRegion.REFUSED) {
                throw new MemoryFaultException(pc, addr, "the program may not read " + size + " bytes at offset " + off
                        + " of the " + name(id));
            }
            return v;
        }
        byte[] d = data[id];
        switch (size) {
            case 1:
                return d[off] & 0xffL;
            case 2:
                return ((short) I16.get(d, off)) & 0xffffL;
            case 4:
                return ((int) I32.get(d, off)) & 0xffffffffL;
            default:
                return (long) I64.get(d, off);
        }
    }

    // ---- the same loads and stores with the size in the name, for the JIT: a fast path for plain
    // memory, and the general method (same checks, same messages) for everything else

    public long load1(long addr, int pc) {
        int id = (int) (addr >>> 32);
        int off = (int) addr;
        if (id > 0 && id < count && off >= lo[id] && off < hi[id] && special[id] == null) {
            return data[id][off] & 0xffL;
        }
        return load(addr, 1, pc);
    }

    public long load2(long addr, int pc) {
        int id = (int) (addr >>> 32);
        int off = (int) addr;
        if (id > 0 && id < count && off >= lo[id] && off <= hi[id] - 2 && special[id] == null) {
            return ((short) I16.get(data[id], off)) & 0xffffL;
        }
        return load(addr, 2, pc);
    }

    public long load4(long addr, int pc) {
        int id = (int) (addr >>> 32);
        int off = (int) addr;
        if (id > 0 && id < count && off >= lo[id] && off <= hi[id] - 4) {
            SpecialRegion sp = special[id];
            if (sp == null) {
                return ((int) I32.get(data[id], off)) & 0xffffffffL;
            }
            long v = sp.load(off, 4);
            if (v != SpecialRegion.REFUSED) {
                return v;
            }
        }
        return load(addr, 4, pc);
    }

    /**
     * Whether the JIT may keep region {@code id}'s array and window while no helper runs: plain
     * (no special region) and writable memory. Only helpers add regions, move windows or replace
     * arrays.
     */
    public boolean cacheable(int id) {
        return id > 0 && id < count && special[id] == null && !readOnly[id];
    }

    // unchecked accesses to an array the JIT checked against a cached window
    public static long get1(byte[] d, int off) {
        return d[off] & 0xffL;
    }

    public static long get2(byte[] d, int off) {
        return ((short) I16.get(d, off)) & 0xffffL;
    }

    public static long get4(byte[] d, int off) {
        return ((int) I32.get(d, off)) & 0xffffffffL;
    }

    public static long get8(byte[] d, int off) {
        return (long) I64.get(d, off);
    }

    public static void put1(byte[] d, int off, long v) {
        d[off] = (byte) v;
    }

    public static void put2(byte[] d, int off, long v) {
        I16.set(d, off, (short) v);
    }

    public static void put4(byte[] d, int off, long v) {
        I32.set(d, off, (int) v);
    }

    public static void put8(byte[] d, int off, long v) {
        I64.set(d, off, v);
    }

    public long load8(long addr, int pc) {
        int id = (int) (addr >>> 32);
        int off = (int) addr;
        if (id > 0 && id < count && off >= lo[id] && off <= hi[id] - 8 && special[id] == null) {
            return (long) I64.get(data[id], off);
        }
        return load(addr, 8, pc);
    }

    private boolean plainWritable(int id, int off, int size) {
        return id > 0 && id < count && off >= lo[id] && off <= hi[id] - size && special[id] == null && !readOnly[id];
    }

    public void store1(long addr, long value, int pc) {
        int id = (int) (addr >>> 32);
        int off = (int) addr;
        if (plainWritable(id, off, 1)) {
            data[id][off] = (byte) value;
        } else {
            store(addr, 1, value, pc);
        }
    }

    public void store2(long addr, long value, int pc) {
        int id = (int) (addr >>> 32);
        int off = (int) addr;
        if (plainWritable(id, off, 2)) {
            I16.set(data[id], off, (short) value);
        } else {
            store(addr, 2, value, pc);
        }
    }

    public void store4(long addr, long value, int pc) {
        int id = (int) (addr >>> 32);
        int off = (int) addr;
        if (plainWritable(id, off, 4)) {
            I32.set(data[id], off, (int) value);
        } else {
            store(addr, 4, value, pc);
        }
    }

    public void store8(long addr, long value, int pc) {
        int id = (int) (addr >>> 32);
        int off = (int) addr;
        if (plainWritable(id, off, 8)) {
            I64.set(data[id], off, value);
        } else {
            store(addr, 8, value, pc);
        }
    }

    /** Stores the low {@code size} bytes of {@code value}. */
    public void store(long addr, int size, long value, int pc) {
        int id = check(addr, size, pc, true);
        int off = (int) addr;
        if (special[id] != null) {
            if (!special[id].store(off, size, value)) {
                throw new MemoryFaultException(pc, addr, "the program may not write " + size + " bytes at offset " + off
                        + " of the " + name(id));
            }
            return;
        }
        byte[] d = data[id];
        switch (size) {
            case 1:
                d[off] = (byte) value;
                break;
            case 2:
                I16.set(d, off, (short) value);
                break;
            case 4:
                I32.set(d, off, (int) value);
                break;
            default:
                I64.set(d, off, value);
                break;
        }
    }

    /**
     * An atomic read-modify-write of 4 or 8 bytes ({@code BPF_ATOMIC}); returns the old value
     * (zero-extended for 4 bytes). {@code op} is the instruction's immediate without the fetch bit,
     * except for XCHG (0xe1) and CMPXCHG (0xf1), where {@code expected} is r0.
     */
    public long atomic(long addr, int size, int op, long operand, long expected, int pc) {
        int id = (int) (addr >>> 32);
        int off = (int) addr;
        if (id <= 0 || id >= count || off < lo[id] || off > hi[id] - size || readOnly[id] || special[id] != null
                || (off & (size - 1)) != 0) {
            throw atomicFault(addr, size, pc);
        }
        byte[] d = data[id];
        int h = lockHash[id];
        if (h == 0) {
            h = AtomicStripes.hash(d);
            lockHash[id] = h;
        }
        int lock = AtomicStripes.lock(h, off);
        try {
            long old = size == 8 ? (long) I64.get(d, off) : (int) I32.get(d, off) & 0xffffffffL;
            long result = op == 0x00 ? old + operand : apply(op, old, operand, expected, size);
            if (size == 8) {
                I64.set(d, off, result);
            } else {
                I32.set(d, off, (int) result);
            }
            return old;
        } finally {
            AtomicStripes.unlock(lock);
        }
    }

    /** The new value of an atomic operation other than ADD. */
    private static long apply(int op, long old, long operand, long expected, int size) {
        switch (op) {
            case 0x40:
                return old | operand;
            case 0x50:
                return old & operand;
            case 0xa0:
                return old ^ operand;
            case 0xe1:
                return operand;
            case 0xf1: {
                long cmp = size == 4 ? expected & 0xffffffffL : expected;
                return old == cmp ? operand : old;
            }
            default:
                throw new IllegalStateException("atomic op " + op);
        }
    }

    /** The fault of an atomic access that is not to plain, writable, aligned memory (checked in the order of the messages). */
    private MemoryFaultException atomicFault(long addr, int size, int pc) {
        int id = check(addr, size, pc, true);
        if (special[id] != null) {
            return new MemoryFaultException(pc, addr, "atomic operations are not allowed on the " + name(id));
        }
        return new MemoryFaultException(pc, addr, "misaligned atomic access of " + size + " bytes in the " + name(id));
    }

    /** Copies {@code len} bytes out of one region. */
    public byte[] read(long addr, int len, int pc) {
        if (len == 0) {
            return new byte[0];
        }
        int id = checkRange(addr, len, pc, false);
        int off = (int) addr;
        return Arrays.copyOfRange(data[id], off, off + len);
    }

    /** Copies {@code bytes} into one region. */
    public void write(long addr, byte[] bytes, int from, int len, int pc) {
        if (len == 0) {
            return;
        }
        int id = checkRange(addr, len, pc, true);
        System.arraycopy(bytes, from, data[id], (int) addr, len);
    }

    /** Checks a range of plain memory (no context region) and returns its region. */
    public int checkRange(long addr, int len, int pc, boolean write) {
        if (len < 0) {
            throw new MemoryFaultException(pc, addr, "negative length " + len);
        }
        int id = check(addr, len, pc, write);
        if (special[id] != null) {
            throw new MemoryFaultException(pc, addr, "a helper may not take the " + name(id) + " as a memory buffer");
        }
        return id;
    }

    /** A NUL-terminated string starting at {@code addr} within at most {@code max} bytes. */
    public String string(long addr, int max, int pc) {
        int id = checkRange(addr, 1, pc, false);
        int off = (int) addr;
        int end = Math.min(hi[id], off + max);
        byte[] d = data[id];
        int n = off;
        while (n < end && d[n] != 0) {
            n++;
        }
        return new String(d, off, n - off, java.nio.charset.StandardCharsets.UTF_8);
    }
}
