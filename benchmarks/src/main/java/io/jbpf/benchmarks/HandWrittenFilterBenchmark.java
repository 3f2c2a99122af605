package io.jbpf.benchmarks;

import io.jbpf.core.vm.Engine;
import io.jbpf.core.vm.VmProgram;
import io.jbpf.core.vm.XdpContext;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The three filters of {@link VmFilterBenchmark} written by hand in Java, over the same packet
 * bytes: what C2 makes of the same work with no VM at all, the ceiling of any eBPF-to-bytecode
 * JIT. Each reads the packet as the eBPF program does (little-endian loads, then byte swaps), checks
 * bounds as it does, and gives the same verdict: checked against the interpreter at set-up, and
 * for the packet filters on 2,000 truncated and altered packets at tear-down. The counter uses what
 * a Java developer would reach for: an {@link AtomicLongArray} and a {@link ConcurrentHashMap} of
 * {@link AtomicLong}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HandWrittenFilterBenchmark {
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    /** Byte values the filters test for, which random changes should hit often. */
    private static final int[] TESTED = {0x45, 0x46, 6, 0x50, 0x08, 0};
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] packet;
    private int data;
    private int end;
    private final AtomicLongArray protos = new AtomicLongArray(256);
    private final ConcurrentHashMap<Long, AtomicLong> flows = new ConcurrentHashMap<>(1024);

    @Setup(Level.Trial)
    public void setUp() {
        packet = VmFilterBenchmark.tcpPacket();
        data = 0;
        end = packet.length;
        same("port", packet, port());
        same("parser", packet, parser());
        same("counter", packet, counter());
    }

    /**
     * The packet filters agree with the interpreter on every truncation of the packet and on
     * packets with random bytes changed, not only on the one measured (after the measurement, so
     * that these calls do not shape the profile C2 compiles the measured code with).
     */
    @TearDown(Level.Trial)
    public void sweep() {
        VmProgram port = VmFilterBenchmark.load(Engine.INTERPRETER, "port");
        VmProgram parser = VmFilterBenchmark.load(Engine.INTERPRETER, "parser");
        Random rnd = new Random(1);
        for (int i = 0; i < 2_000; i++) {
            byte[] p = i <= packet.length ? Arrays.copyOf(packet, i) : packet.clone();
            if (i > packet.length) {
                for (int k = rnd.nextInt(4); k >= 0; k--) {
                    p[rnd.nextInt(p.length)] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : TESTED[rnd.nextInt(TESTED.length)]);
                }
            }
            same("port", p, port.run(XdpContext.of(p)).returnValue(), port(p, 0, p.length));
            same("parser", p, parser.run(XdpContext.of(p)).returnValue(), parser(p, 0, p.length));
        }
    }

    private void same(String filter, byte[] p, long verdict) {
        same(filter, p, VmFilterBenchmark.load(Engine.INTERPRETER, filter).run(XdpContext.of(p)).returnValue(), verdict);
    }

    private static void same(String filter, byte[] p, long expected, long verdict) {
        if (verdict != expected) {
            throw new IllegalStateException(filter + " by hand gives " + verdict + ", the interpreter " + expected
                    + " on " + HexFormat.of().formatHex(p));
        }
    }

    @Benchmark
    public long port() {
        return port(packet, data, end);
    }

    @Benchmark
    public long parser() {
        return parser(packet, data, end);
    }

    @Benchmark
    public long counter() {
        return counter(packet, data, end);
    }

    private static long u8(byte[] p, int at) {
        return p[at] & 0xffL;
    }

    private static long u16(byte[] p, int at) {
        return (short) U16.get(p, at) & 0xffffL;
    }

    private static long u32(byte[] p, int at) {
        return (int) U32.get(p, at) & 0xffffffffL;
    }

    private static long be16(long v) {
        return Short.reverseBytes((short) v) & 0xffffL;
    }

    private static long be32(long v) {
        return Integer.reverseBytes((int) v) & 0xffffffffL;
    }

    static long port(byte[] p, int data, int end) {
        if (data + 54 > end) {
            return 2;
        }
        if (u16(p, data + 12) != 0x8 || u8(p, data + 23) != 6 || u16(p, data + 36) != 0x5000) {
            return 2;
        }
        return 1;
    }

    static long parser(byte[] p, int data, int end) {
        if (data + 34 > end) {
            return 2;
        }
        long r0 = u32(p, data);
        r0 += u16(p, data + 4);
        r0 ^= u32(p, data + 6);
        r0 += u16(p, data + 10);
        if (be16(u16(p, data + 12)) != 0x800) {
            return 2;
        }
        long first = u8(p, data + 14);
        int ihl = (int) (first & 15) << 2;
        if (ihl < 20 || first >> 4 != 4) {
            return 1;
        }
        r0 += u8(p, data + 15);
        r0 += be16(u16(p, data + 16));
        r0 ^= be16(u16(p, data + 18));
        if ((be16(u16(p, data + 20)) & 0x1fff) != 0) {
            return 2;
        }
        r0 += u8(p, data + 22);
        long proto = u8(p, data + 23);
        r0 += u16(p, data + 24);
        r0 += be32(u32(p, data + 26));
        r0 ^= be32(u32(p, data + 30));
        if (proto != 6) {
            return 2;
        }
        int tcp = data + 14 + ihl;
        if (tcp + 20 > end) {
            return 1;
        }
        r0 += be16(u16(p, tcp));
        r0 += be16(u16(p, tcp + 2));
        r0 ^= be32(u32(p, tcp + 4));
        r0 += be32(u32(p, tcp + 8));
        if ((u8(p, tcp + 12) >> 4) << 2 < 20) {
            return 1;
        }
        r0 += u8(p, tcp + 13);
        r0 += be16(u16(p, tcp + 14));
        return (r0 & 1) + 2;
    }

    long counter(byte[] p, int data, int end) {
        if (data + 34 > end) {
            return 2;
        }
        protos.incrementAndGet((int) u8(p, data + 23));
        long key = u32(p, data + 26) | u32(p, data + 30) << 32;
        AtomicLong n = flows.get(key);
        if (n != null) {
            n.incrementAndGet();
        } else {
            flows.putIfAbsent(key, new AtomicLong(1));
        }
        return 2;
    }
}
