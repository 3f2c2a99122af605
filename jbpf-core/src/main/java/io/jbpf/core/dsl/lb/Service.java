package io.jbpf.core.dsl.lb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * What {@code lb_svc} holds for a service, laid out as the C struct
 * {@code struct { __u32 id, backend_count, algorithm, flags; }} (16 bytes, host byte order).
 *
 * @param id           the service's index into the selection and Maglev arrays
 * @param backendCount how many backends it has now (0: new flows are dropped)
 * @param algorithm    how a new flow picks one
 */
public record Service(int id, int backendCount, Algorithm algorithm) {
    /** Size of the encoded struct. */
    public static final int SIZE = 16;

    public Service {
        Objects.requireNonNull(algorithm, "algorithm");
        if (id < 0 || backendCount < 0) {
            throw new IllegalArgumentException("service id " + id + " and backend count " + backendCount
                    + " must not be negative");
        }
    }

    /** The struct's bytes. */
    public byte[] toBytes() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder()).putInt(id).putInt(backendCount)
                .putInt(algorithm.number()).putInt(0).array();
    }

    /** Reads the struct. */
    public static Service decode(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        int id = buf.getInt();
        int count = buf.getInt();
        int algo = buf.getInt();
        return new Service(id, count, Algorithm.values()[algo]);
    }
}
