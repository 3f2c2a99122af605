package io.jbpf.core.vm;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A program that calls bpf_fib_lookup on the 64-byte struct given as the packet, and such structs. */
final class FibPrograms {
    private FibPrograms() {}

    /**
     * Copies the packet's first 64 bytes (a {@code struct bpf_fib_lookup}) to the stack, calls
     * {@code bpf_fib_lookup(ctx, &params, plen, flags)}, copies the struct back and returns r0.
     * {@code data}/{@code dataEnd} are the context offsets of the packet pointers (XDP 0/4, TC 76/80).
     */
    static String program(int data, int dataEnd, int plen, int flags) {
        StringBuilder sb = new StringBuilder("r6 = r1\n");
        String bounds = "r2 = *(u32 *)(r6 + " + data + ")\nr3 = *(u32 *)(r6 + " + dataEnd + ")\n"
                + "r4 = r2\nr4 += 64\nif r4 > r3 goto fail\n";
        sb.append(bounds);
        for (int i = 0; i < 64; i += 8) {
            sb.append("r5 = *(u64 *)(r2 + ").append(i).append(")\n*(u64 *)(r10 - ").append(64 - i).append(") = r5\n");
        }
        sb.append("r1 = r6\nr2 = r10\nr2 += -64\nr3 = ").append(plen).append("\nr4 = ").append(flags)
                .append("\ncall bpf_fib_lookup\nr7 = r0\n").append(bounds);
        for (int i = 0; i < 64; i += 8) {
            sb.append("r5 = *(u64 *)(r10 - ").append(64 - i).append(")\n*(u64 *)(r2 + ").append(i).append(") = r5\n");
        }
        return sb.append("r0 = r7\nexit\nfail:\nr0 = -1\nexit").toString();
    }

    /** A {@code struct bpf_fib_lookup} asking for {@code dst} from {@code src} received on {@code ifindex}. */
    static byte[] params(String src, String dst, int ifindex, int totLen, int tbid) {
        try {
            byte[] s = InetAddress.getByName(src).getAddress();
            byte[] d = InetAddress.getByName(dst).getAddress();
            ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            b.put(0, (byte) (d.length == 4 ? 2 : 10)).put(1, (byte) 6).putShort(2, (short) 0x3930).putShort(4, (short) 0x5000)
                    .putShort(6, (short) totLen).putInt(8, ifindex).put(16, s).put(32, d).putInt(48, tbid);
            return b.array();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
