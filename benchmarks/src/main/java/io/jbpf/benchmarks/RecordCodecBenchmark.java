package io.jbpf.benchmarks;

import io.jbpf.maps.codec.Array;
import io.jbpf.maps.codec.NetworkOrder;
import io.jbpf.maps.codec.RecordCodec;
import io.jbpf.maps.codec.Size;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding a record through its generated {@link RecordCodec}. Run with {@code -prof gc}:
 * {@code encode} should allocate 0 B/op, {@code decode} only the record (and nothing for an
 * all-primitive record that escape analysis removes when the result is consumed field by field).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RecordCodecBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordCodecBenchmark {

    /** A conntrack-style key: addresses and ports in network order, protocol, padding. */
    public record FlowKey(@NetworkOrder int saddr, @NetworkOrder int daddr, @NetworkOrder @Size(2) int sport,
            @NetworkOrder @Size(2) int dport, byte proto) {
    }

    /** A value with mixed widths and a fixed array. */
    public record Counters(long packets, long bytes, int flags, short zone, @Array(4) byte[] mac4) {
    }

    private final RecordCodec<FlowKey> keyCodec = RecordCodec.of(FlowKey.class);
    private final RecordCodec<Counters> valueCodec = RecordCodec.of(Counters.class);
    private final FlowKey key = new FlowKey(0x0a000001, 0x0a000002, 443, 51234, (byte) 6);
    private final byte[] keyBytes = keyCodec.encode(key);
    private final byte[] out = new byte[64];

    @Benchmark
    public byte[] encodeFlowKey() {
        keyCodec.encode(key, out, 0);
        return out;
    }

    @Benchmark
    public FlowKey decodeFlowKey() {
        return keyCodec.decode(keyBytes, 0);
    }

    @Benchmark
    public long decodeFlowKeyFields() {
        FlowKey k = keyCodec.decode(keyBytes, 0);
        return k.saddr() + k.sport();
    }

    private final Counters counters = new Counters(1, 2, 3, (short) 4, new byte[] {1, 2, 3, 4});
    private final byte[] counterBytes = valueCodec.encode(counters);

    @Benchmark
    public byte[] encodeCounters() {
        valueCodec.encode(counters, out, 0);
        return out;
    }

    @Benchmark
    public Counters decodeCounters() {
        return valueCodec.decode(counterBytes, 0);
    }
}
