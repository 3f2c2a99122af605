package io.jbpf.core.vm.internal;

import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.map.MemoryRingBuffer;
import io.jbpf.core.vm.HelperContext;
import io.jbpf.core.vm.HelperFunction;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel helpers the VM provides, with the kernel's numbers, arguments and error returns,
 * over {@link MemoryMap}s and the run's context.
 */
public final class StandardHelpers {
    private static final long EINVAL = -22;
    private static final long EFAULT = -14;
    private static final long ENOENT = -2;
    private static final long E2BIG = -7;
    private static final long EBUSY = -16;

    private StandardHelpers() {}

    /** {@code bpf_map_lookup_elem}; the JIT calls it directly while a machine's helper 1 is this one. */
    public static final HelperFunction MAP_LOOKUP = StandardHelpers::mapLookup;

    /** {@link #MAP_LOOKUP} called by compiled code for the instruction at {@code at}. */
    public static long mapLookup(Machine m, long map, long key, int at) {
        m.pc = at;
        return mapLookup((HelperContext) m, map, key, 0, 0, 0);
    }

    /** {@code bpf_map_update_elem}; the JIT calls it directly while a machine's helper 2 is this one. */
    public static final HelperFunction MAP_UPDATE = StandardHelpers::mapUpdate;

    /** {@link #MAP_UPDATE} called by compiled code for the instruction at {@code at}. */
    public static long mapUpdate(Machine m, long map, long key, long value, long flags, int at) {
        m.pc = at;
        return mapUpdate((HelperContext) m, map, key, value, flags, 0L);
    }

    /** The helpers by number. */
    public static Map<Integer, HelperFunction> all() {
        Map<Integer, HelperFunction> h = new TreeMap<>();
        h.put(1, MAP_LOOKUP);
        h.put(2, MAP_UPDATE);
        h.put(3, (c, map, key, r3, r4, r5) -> {
            MemoryMap mm = c.map(map);
            return mm.deleteFromProgram(key(c, mm, key));
        });
        h.put(5, (c, r1, r2, r3, r4, r5) -> c.nanos());
        h.put(6, StandardHelpers::tracePrintk);
        h.put(7, (c, r1, r2, r3, r4, r5) -> c.random32() & 0xffffffffL);
        h.put(8, (c, r1, r2, r3, r4, r5) -> c.cpu());
        h.put(9, StandardHelpers::skbStoreBytes);
        h.put(10, (c, skb, off, from, to, flags) -> csumReplace(c, skb, off, from, to, flags, false));
        h.put(11, (c, skb, off, from, to, flags) -> csumReplace(c, skb, off, from, to, flags, true));
        h.put(12, StandardHelpers::tailCall);
        h.put(23, StandardHelpers::redirect);
        h.put(152, StandardHelpers::redirectNeigh);
        h.put(26, StandardHelpers::skbLoadBytes);
        h.put(28, StandardHelpers::csumDiff);
        h.put(39, StandardHelpers::skbPullData);
        h.put(44, (c, ctx, delta, r3, r4, r5) -> xdp(c, ctx).adjustHead((int) delta));
        h.put(51, StandardHelpers::redirectMap);
        h.put(54, (c, ctx, delta, r3, r4, r5) -> xdp(c, ctx).adjustMeta((int) delta));
        h.put(65, (c, ctx, delta, r3, r4, r5) -> xdp(c, ctx).adjustTail((int) delta));
        h.put(68, StandardHelpers::skbLoadBytesRelative);
        h.put(69, StandardHelpers::fibLookup);
        h.put(87, (c, map, value, flags, r4, r5) -> {
            MemoryMap mm = c.map(map);
            return mm.push(c.read(value, mm.spec().valueSize()), flags);
        });
        h.put(88, (c, map, value, r3, r4, r5) -> popOrPeek(c, map, value, true));
        h.put(89, (c, map, value, r3, r4, r5) -> popOrPeek(c, map, value, false));
        h.put(118, (c, r1, r2, r3, r4, r5) -> c.nanos() / 4_000_000L);
        h.put(125, (c, r1, r2, r3, r4, r5) -> c.nanos());
        h.put(130, StandardHelpers::ringbufOutput);
        h.put(131, StandardHelpers::ringbufReserve);
        h.put(132, (c, rec, flags, r3, r4, r5) -> ringbufCommit(c, rec, true));
        h.put(133, (c, rec, flags, r3, r4, r5) -> ringbufCommit(c, rec, false));
        h.put(134, StandardHelpers::ringbufQuery);
        h.put(160, (c, r1, r2, r3, r4, r5) -> c.nanos());
        h.put(181, StandardHelpers::loop);
        h.put(188, (c, ctx, r2, r3, r4, r5) -> xdp(c, ctx).length());
        h.put(189, (c, ctx, off, buf, len, r5) -> xdpBytes(c, ctx, off, buf, len, false));
        h.put(190, (c, ctx, off, buf, len, r5) -> xdpBytes(c, ctx, off, buf, len, true));
        return h;
    }

    private static Machine machine(HelperContext c) {
        return (Machine) c;
    }

    private static byte[] key(HelperContext c, MemoryMap map, long key) {
        return c.read(key, map.spec().keySize());
    }

    private static long mapLookup(HelperContext c, long map, long key, long r3, long r4, long r5) {
        Machine m = machine(c);
        MemoryMap mm = c.map(map);
        MapType type = mm.spec().type();
        if (type == MapType.ARRAY_OF_MAPS || type == MapType.HASH_OF_MAPS) {
            byte[] k = key(c, mm, key);
            Object inner = type == MapType.ARRAY_OF_MAPS ? mm.target(index(k)) : mm.target(k);
            return inner instanceof MemoryMap im ? m.mapHandle(im) : 0;
        }
        int size = mm.spec().keySize();
        byte[] value;
        if (size == 0) {
            value = mm.lookupForProgram(new byte[0], c.cpu());
        } else {
            // the key is looked up where it lies, checked as a read of the program's memory
            Memory memory = m.memory;
            int region = memory.checkRange(key, size, m.pc, false);
            value = mm.lookupForProgram(memory.array(region), (int) key, c.cpu());
        }
        if (value == null) {
            return 0;
        }
        // the verifier refuses stores through values of a map programs may only read (.rodata);
        // the region is named after the map (Memory renders "value of map '…'" when a message needs it)
        return Memory.address(m.memory.regionOf(value, mm, Machine.readOnlyForPrograms(mm)), 0);
    }

    private static long mapUpdate(HelperContext c, long map, long key, long value, long flags, long r5) {
        MemoryMap mm = c.map(map);
        int keySize = mm.spec().keySize();
        int valueSize = mm.spec().valueSize();
        if (keySize == 0 || valueSize == 0) {
            return mm.updateFromProgram(key(c, mm, key), c.read(value, valueSize), flags, c.cpu());
        }
        // key and value are read where they lie, checked (in this order) as reads of the program's memory
        Machine m = machine(c);
        Memory memory = m.memory;
        int keyRegion = memory.checkRange(key, keySize, m.pc, false);
        int valueRegion = memory.checkRange(value, valueSize, m.pc, false);
        return mm.updateFromProgram(memory.array(keyRegion), (int) key, memory.array(valueRegion), (int) value, flags,
                c.cpu());
    }

    private static int index(byte[] key) {
        return (key[0] & 0xff) | (key[1] & 0xff) << 8 | (key[2] & 0xff) << 16 | (key[3] & 0xff) << 24;
    }

    private static long popOrPeek(HelperContext c, long map, long value, boolean pop) {
        MemoryMap mm = c.map(map);
        int size = mm.spec().valueSize();
        if (mm.spec().type() == MapType.BLOOM_FILTER) {
            // a bloom filter's peek asks whether the value the program passes may be in the set
            return pop ? -95 : mm.peek(c.read(value, size));
        }
        byte[] out = new byte[size];
        long r = pop ? mm.pop(out) : mm.peek(out);
        if (r == 0) {
            c.write(value, out);
        }
        return r;
    }

    private static long tracePrintk(HelperContext c, long fmt, long size, long a1, long a2, long a3) {
        Machine m = machine(c);
        byte[] bytes = c.read(fmt, (int) size);
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        if (n == bytes.length) {
            return EINVAL;
        }
        String line = TraceFormat.format(m, new String(bytes, 0, n, java.nio.charset.StandardCharsets.UTF_8),
                new long[] {a1, a2, a3});
        String trimmed = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        c.trace(trimmed);
        return line.length();
    }

    private static long tailCall(HelperContext c, long ctx, long map, long index, long r4, long r5) {
        Machine m = machine(c);
        MemoryMap mm = c.map(map);
        if (mm.spec().type() != MapType.PROG_ARRAY) {
            throw m.fault("bpf_tail_call on map '" + mm.spec().name() + "' of type " + mm.spec().type()
                    + ", not a program array");
        }
        long i = index & 0xffffffffL;
        if (i >= mm.spec().maxEntries() || m.tailCalls >= Machine.MAX_TAIL_CALLS) {
            return ENOENT;
        }
        Image target = m.settings.targets.apply(mm.target((int) i));
        if (target == null) {
            return ENOENT;
        }
        m.tailCalls++;
        m.tailTarget = target;
        m.stop(0);
        return 0;
    }

    private static long redirect(HelperContext c, long ifindex, long flags, long r3, long r4, long r5) {
        Machine m = machine(c);
        ContextState ctx = m.context;
        if (ctx instanceof XdpState) {
            if (flags != 0) {
                return 0; // XDP_ABORTED
            }
        } else if ((flags & ~1L) != 0) {
            return 2; // TC_ACT_SHOT
        }
        ctx.redirectIfindex = (int) ifindex;
        ctx.redirectFlags = flags;
        return ctx.redirectVerdict();
    }

    /**
     * {@code bpf_redirect_neigh(ifindex, params, plen, flags)}: TC only, to the egress of {@code ifindex}
     * with the neighbour subsystem filling in the MACs (here: recorded like {@code bpf_redirect}).
     * Flags must be 0, and a next hop, when given, 16 bytes or more.
     */
    private static long redirectNeigh(HelperContext c, long ifindex, long params, long plen, long flags, long r5) {
        Machine m = machine(c);
        ContextState ctx = m.context;
        if (ctx instanceof XdpState) {
            throw m.fault("bpf_redirect_neigh is for TC programs, not XDP");
        }
        if (flags != 0 || (params == 0) != (plen == 0) || (params != 0 && plen < 16)) {
            return 2; // TC_ACT_SHOT
        }
        ctx.redirectIfindex = (int) ifindex;
        ctx.redirectFlags = 0;
        return ctx.redirectVerdict();
    }

    private static long redirectMap(HelperContext c, long map, long key, long flags, long r4, long r5) {
        Machine m = machine(c);
        MemoryMap mm = c.map(map);
        byte[] k = new byte[4];
        k[0] = (byte) key;
        k[1] = (byte) (key >> 8);
        k[2] = (byte) (key >> 16);
        k[3] = (byte) (key >> 24);
        byte[] value = mm.lookupForProgram(k, c.cpu());
        if (value == null) {
            return flags & 3; // the action in the low bits of flags
        }
        m.context.redirectIfindex = index(value);
        m.context.redirectFlags = flags;
        return 4; // XDP_REDIRECT
    }

    private static XdpState xdp(HelperContext c, long ctx) {
        Machine m = machine(c);
        if (!(m.context instanceof XdpState x) || !x.isContext(ctx)) {
            throw m.fault("an XDP helper needs the XDP context in r1");
        }
        return x;
    }

    private static SkbState skb(HelperContext c, long ctx) {
        Machine m = machine(c);
        if (!(m.context instanceof SkbState s) || !s.isContext(ctx)) {
            throw m.fault("a socket buffer helper needs the __sk_buff context in r1");
        }
        return s;
    }

    /** {@code bpf_fib_lookup} over the VM's {@link io.jbpf.core.vm.FibTable}; XDP and TC programs. */
    private static long fibLookup(HelperContext c, long ctx, long params, long plen, long flags, long r5) {
        Machine m = machine(c);
        int skbLength;
        if (m.context instanceof XdpState x && x.isContext(ctx)) {
            skbLength = -1;
        } else if (m.context instanceof SkbState s && s.isContext(ctx)) {
            skbLength = s.length();
        } else {
            throw m.fault("bpf_fib_lookup needs the XDP or __sk_buff context in r1");
        }
        return FibLookup.lookup(m, m.settings.fib, params, plen, flags, skbLength);
    }

    private static long skbLoadBytes(HelperContext c, long ctx, long offset, long to, long len, long r5) {
        SkbState s = skb(c, ctx);
        int off = (int) offset;
        int n = (int) len;
        if (offset < 0 || len <= 0 || off + (long) n > s.length() || offset > 0xffff) {
            if (len > 0) {
                c.write(to, new byte[n]);
            }
            return EFAULT;
        }
        byte[] out = new byte[n];
        System.arraycopy(s.packetArray(), s.dataOffset() + off, out, 0, n);
        c.write(to, out);
        return 0;
    }

    /**
     * {@code bpf_skb_pull_data}: the VM's socket buffers are linear, so it only checks that
     * {@code len} bytes (0: the head) exist: 0, or -ENOMEM past the end, as {@code pskb_may_pull}.
     */
    private static long skbPullData(HelperContext c, long ctx, long len, long r3, long r4, long r5) {
        SkbState s = skb(c, ctx);
        return (len & 0xffffffffL) > s.length() ? -12 : 0;
    }

    /**
     * {@code bpf_skb_load_bytes_relative}: from the MAC header ({@code BPF_HDR_START_MAC}, 0) or the
     * network header ({@code BPF_HDR_START_NET}, 1) up to the packet's tail; on any error the
     * buffer is zeroed and -EFAULT returned.
     */
    private static long skbLoadBytesRelative(HelperContext c, long ctx, long offset, long to, long len, long start) {
        SkbState s = skb(c, ctx);
        int n = (int) len;
        long off = offset & 0xffffffffL;
        int base = (start & 0xffffffffL) == 0 ? s.macOffset() : (start & 0xffffffffL) == 1 ? s.macOffset() + 14 : -1;
        long tail = s.dataOffset() + (long) s.length();
        if (off > 0xffff || base < 0 || base + off + (len & 0xffffffffL) > tail) {
            c.write(to, new byte[n]);
            return EFAULT;
        }
        byte[] out = new byte[n];
        System.arraycopy(s.packetArray(), base + (int) off, out, 0, n);
        c.write(to, out);
        return 0;
    }

    /** {@code bpf_xdp_load_bytes} / {@code bpf_xdp_store_bytes}: -EFAULT past 0xffff, -EINVAL past the end (buffer untouched). */
    private static long xdpBytes(HelperContext c, long ctx, long offset, long buf, long len, boolean store) {
        XdpState x = xdp(c, ctx);
        long off = offset & 0xffffffffL;
        long n = len & 0xffffffffL;
        if ((off | n) > 0xffff) {
            return EFAULT;
        }
        if (off + n > x.length()) {
            return EINVAL;
        }
        if (store) {
            byte[] bytes = c.read(buf, (int) n);
            System.arraycopy(bytes, 0, x.packetArray(), x.dataOffset() + (int) off, (int) n);
        } else {
            byte[] out = new byte[(int) n];
            System.arraycopy(x.packetArray(), x.dataOffset() + (int) off, out, 0, (int) n);
            c.write(buf, out);
        }
        return 0;
    }

    private static long skbStoreBytes(HelperContext c, long ctx, long offset, long from, long len, long flags) {
        SkbState s = skb(c, ctx);
        if ((flags & ~3L) != 0) {
            return EINVAL;
        }
        if (offset < 0 || len < 0 || offset + len > s.length() || offset > 0xffff) {
            return EFAULT;
        }
        byte[] bytes = c.read(from, (int) len);
        System.arraycopy(bytes, 0, s.packetArray(), s.dataOffset() + (int) offset, bytes.length);
        return 0;
    }

    private static long csumReplace(HelperContext c, long ctx, long offset, long from, long to, long flags, boolean l4) {
        SkbState s = skb(c, ctx);
        long allowed = l4 ? 0x3fL : 0xfL;
        if ((flags & ~allowed) != 0) {
            return EINVAL;
        }
        if (offset < 0 || offset + 2 > s.length() || offset > 0xffff) {
            return EFAULT;
        }
        byte[] p = s.packetArray();
        int at = s.dataOffset() + (int) offset;
        int sum = (p[at] & 0xff) | (p[at + 1] & 0xff) << 8;
        boolean mangled0 = l4 && (flags & 0x20) != 0;
        if (mangled0 && sum == 0) {
            return 0;
        }
        int result;
        switch ((int) (flags & 0xf)) {
            case 0:
                if (from != 0) {
                    return EINVAL;
                }
                result = Checksums.replaceByDiff(sum, (int) to);
                break;
            case 2:
                result = Checksums.replace2(sum, (int) from, (int) to);
                break;
            case 4:
                result = Checksums.replace4(sum, (int) from, (int) to);
                break;
            default:
                return EINVAL;
        }
        if (mangled0 && result == 0) {
            result = 0xffff;
        }
        p[at] = (byte) result;
        p[at + 1] = (byte) (result >> 8);
        return 0;
    }

    /**
     * {@code bpf_csum_diff} as kernels since 6.13 compute it on every architecture: the sum of
     * {@code to} less the sum of {@code from} (pushing or pulling data when one is empty), folded
     * to 16 bits.
     */
    private static long csumDiff(HelperContext c, long from, long fromSize, long to, long toSize, long seed) {
        if (((fromSize | toSize) & 3) != 0 || fromSize < 0 || toSize < 0 || fromSize > 512 || toSize > 512) {
            return EINVAL;
        }
        byte[] a = fromSize == 0 ? new byte[0] : c.read(from, (int) fromSize);
        byte[] b = toSize == 0 ? new byte[0] : c.read(to, (int) toSize);
        int s = (int) seed;
        int sum;
        if (fromSize != 0 && toSize != 0) {
            sum = Checksums.sub(Checksums.partial(b, 0, b.length, s), Checksums.partial(a, 0, a.length, 0));
        } else if (toSize != 0) {
            sum = Checksums.partial(b, 0, b.length, s);
        } else {
            sum = ~Checksums.partial(a, 0, a.length, ~s);
        }
        return Checksums.from32to16(sum);
    }

    private static MemoryRingBuffer ring(HelperContext c, long map) {
        MemoryMap mm = c.map(map);
        if (!(mm instanceof MemoryRingBuffer rb)) {
            throw machine(c).fault("map '" + mm.spec().name() + "' of type " + mm.spec().type() + " is not a ring buffer");
        }
        return rb;
    }

    private static long ringbufOutput(HelperContext c, long map, long data, long size, long flags, long r5) {
        if ((flags & ~3L) != 0) {
            return EINVAL;
        }
        return ring(c, map).output(c.read(data, (int) size));
    }

    private static long ringbufReserve(HelperContext c, long map, long size, long flags, long r4, long r5) {
        if (flags != 0 || size < 0 || size > Integer.MAX_VALUE) {
            return 0;
        }
        byte[] rec = ring(c, map).reserve((int) size);
        if (rec == null) {
            return 0;
        }
        Machine m = machine(c);
        m.reserved.put(rec, ring(c, map));
        return c.pointerTo(rec, "ring buffer record");
    }

    private static long ringbufCommit(HelperContext c, long rec, boolean submit) {
        Machine m = machine(c);
        byte[] storage = m.memory.storageAt(rec);
        MemoryRingBuffer rb = storage == null ? null : m.reserved.remove(storage);
        if (rb == null) {
            throw m.fault("0x" + Long.toHexString(rec) + " is not a ring buffer record this run reserved and has not yet "
                    + (submit ? "submitted" : "discarded"));
        }
        if (submit) {
            rb.submit(storage);
        } else {
            rb.discard(storage);
        }
        return 0;
    }

    private static long ringbufQuery(HelperContext c, long map, long flags, long r3, long r4, long r5) {
        MemoryRingBuffer rb = ring(c, map);
        switch ((int) flags) {
            case 0: // BPF_RB_AVAIL_DATA
                return rb.available();
            case 1: // BPF_RB_RING_SIZE
                return rb.spec().maxEntries();
            default:
                return 0;
        }
    }

    private static long loop(HelperContext c, long count, long callback, long ctx, long flags, long r5) {
        if (flags != 0) {
            return EINVAL;
        }
        if (count > (1 << 23)) {
            return E2BIG;
        }
        Machine m = machine(c);
        long i = 0;
        for (; i < count; i++) {
            long ret = m.callback(callback, i, ctx, 0, 0, 0);
            if (m.unwinding) {
                return 0;
            }
            if (ret == 1) {
                return i + 1;
            }
        }
        return i;
    }
}
