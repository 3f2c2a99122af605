package io.jbpf.maps.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads and writes integers of 1, 2, 4 and 8 bytes in host or network (big-endian) order inside a
 * byte array. Public because generated record codecs (defined in the record's own package) call it;
 * not an API.
 */
public final class Bytes {
    private Bytes() {}

    private static final VarHandle S_HOST = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle S_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I_HOST = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle I_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle L_HOST = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle L_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Throws unless {@code v} fits {@code width} bytes as a signed or an unsigned number. */
    public static void checkWidth(long v, int width, String field) {
        int bits = width * 8;
        if (v < -(1L << (bits - 1)) || v >= (1L << bits)) {
            throw new IllegalArgumentException(field + ": " + v + " does not fit in " + width + " byte"
                    + (width == 1 ? "" : "s") + " (" + -(1L << (bits - 1)) + " .. " + ((1L << bits) - 1) + ")");
        }
    }

    public static void put1(byte[] b, int off, long v, String field) {
        checkWidth(v, 1, field);
        b[off] = (byte) v;
    }

    public static void put2(byte[] b, int off, long v, String field) {
        checkWidth(v, 2, field);
        S_HOST.set(b, off, (short) v);
    }

    public static void put2be(byte[] b, int off, long v, String field) {
        checkWidth(v, 2, field);
        S_BE.set(b, off, (short) v);
    }

    public static void put4(byte[] b, int off, long v, String field) {
        checkWidth(v, 4, field);
        I_HOST.set(b, off, (int) v);
    }

    public static void put4be(byte[] b, int off, long v, String field) {
        checkWidth(v, 4, field);
        I_BE.set(b, off, (int) v);
    }

    public static void put8(byte[] b, int off, long v, String field) {
        L_HOST.set(b, off, v);
    }

    public static void put8be(byte[] b, int off, long v, String field) {
        L_BE.set(b, off, v);
    }

    /** The unsigned byte at {@code off}. */
    public static long get1(byte[] b, int off) {
        return b[off] & 0xFFL;
    }

    public static long get2(byte[] b, int off) {
        return (short) S_HOST.get(b, off) & 0xFFFFL;
    }

    public static long get2be(byte[] b, int off) {
        return (short) S_BE.get(b, off) & 0xFFFFL;
    }

    public static long get4(byte[] b, int off) {
        return (int) I_HOST.get(b, off) & 0xFFFF_FFFFL;
    }

    public static long get4be(byte[] b, int off) {
        return (int) I_BE.get(b, off) & 0xFFFF_FFFFL;
    }

    public static long get8(byte[] b, int off) {
        return (long) L_HOST.get(b, off);
    }

    public static long get8be(byte[] b, int off) {
        return (long) L_BE.get(b, off);
    }

    /** C's truth: any non-zero byte. */
    public static boolean bool(long v) {
        return v != 0;
    }

    /** Zeroes {@code len} bytes (struct padding). */
    public static void zero(byte[] b, int off, int len) {
        Arrays.fill(b, off, off + len, (byte) 0);
    }

    /** Throws unless an array component has its declared length. */
    public static void checkLength(int actual, int expected, String field) {
        if (actual != expected) {
            throw new IllegalArgumentException(field + ": array of " + actual + " elements, the struct holds exactly "
                    + expected);
        }
    }

    public static void putBytes(byte[] b, int off, byte[] a, int n, String field) {
        checkLength(a.length, n, field);
        System.arraycopy(a, 0, b, off, n);
    }

    public static byte[] getBytes(byte[] b, int off, int n) {
        return Arrays.copyOfRange(b, off, off + n);
    }

    public static void putShorts(byte[] b, int off, short[] a, int n, boolean be, String field) {
        checkLength(a.length, n, field);
        VarHandle h = be ? S_BE : S_HOST;
        for (int i = 0; i < n; i++) {
            h.set(b, off + 2 * i, a[i]);
        }
    }

    public static short[] getShorts(byte[] b, int off, int n, boolean be) {
        VarHandle h = be ? S_BE : S_HOST;
        short[] a = new short[n];
        for (int i = 0; i < n; i++) {
            a[i] = (short) h.get(b, off + 2 * i);
        }
        return a;
    }

    public static void putInts(byte[] b, int off, int[] a, int n, boolean be, String field) {
        checkLength(a.length, n, field);
        VarHandle h = be ? I_BE : I_HOST;
        for (int i = 0; i < n; i++) {
            h.set(b, off + 4 * i, a[i]);
        }
    }

    public static int[] getInts(byte[] b, int off, int n, boolean be) {
        VarHandle h = be ? I_BE : I_HOST;
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = (int) h.get(b, off + 4 * i);
        }
        return a;
    }

    public static void putLongs(byte[] b, int off, long[] a, int n, boolean be, String field) {
        checkLength(a.length, n, field);
        VarHandle h = be ? L_BE : L_HOST;
        for (int i = 0; i < n; i++) {
            h.set(b, off + 8 * i, a[i]);
        }
    }

    public static long[] getLongs(byte[] b, int off, int n, boolean be) {
        VarHandle h = be ? L_BE : L_HOST;
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = (long) h.get(b, off + 8 * i);
        }
        return a;
    }

    /** Writes a {@code width}-byte integer in the given order. */
    public static void put(byte[] b, int off, long v, int width, boolean be, String field) {
        switch (width) {
            case 1 -> put1(b, off, v, field);
            case 2 -> { if (be) put2be(b, off, v, field); else put2(b, off, v, field); }
            case 4 -> { if (be) put4be(b, off, v, field); else put4(b, off, v, field); }
            case 8 -> { if (be) put8be(b, off, v, field); else put8(b, off, v, field); }
            default -> throw new IllegalArgumentException("width " + width);
        }
    }

    /** Reads a {@code width}-byte unsigned integer (8 bytes: the raw bits) in the given order. */
    public static long get(byte[] b, int off, int width, boolean be) {
        return switch (width) {
            case 1 -> get1(b, off);
            case 2 -> be ? get2be(b, off) : get2(b, off);
            case 4 -> be ? get4be(b, off) : get4(b, off);
            case 8 -> be ? get8be(b, off) : get8(b, off);
            default -> throw new IllegalArgumentException("width " + width);
        };
    }
}
