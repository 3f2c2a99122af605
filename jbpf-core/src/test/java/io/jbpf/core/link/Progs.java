package io.jbpf.core.link;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/** Hand-written test programs (host byte order) until the assembler exists. */
final class Progs {
    private Progs() {}

    /** {@code r0 = value; exit}. */
    static byte[] returning(int value) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0xb7).put((byte) 0).putShort((short) 0).putInt(value);
        b.put((byte) 0x95).put((byte) 0).putShort((short) 0).putInt(0);
        return b.array();
    }

    /**
     * Adds 1 to element 0 of the array map {@code mapFd} (u32 key, u64 value) and returns {@code value}:
     * r1 = map (LD_IMM64, src BPF_PSEUDO_MAP_FD); *(u32 *)(r10 - 4) = 0; r2 = r10 - 4;
     * call map_lookup_elem; if r0 == 0 goto +2; r1 = 1; lock *(u64 *)(r0 + 0) += r1; r0 = value; exit.
     */
    static byte[] counting(int mapFd, int value) {
        ByteBuffer b = ByteBuffer.allocate(11 * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(HexFormat.of().parseHex("18110000")).putInt(mapFd).put(new byte[8]);
        b.put(HexFormat.of().parseHex("620afcff00000000"));
        b.put(HexFormat.of().parseHex("bfa2000000000000"));
        b.put(HexFormat.of().parseHex("07020000fcffffff"));
        b.put(HexFormat.of().parseHex("8500000001000000"));
        b.put(HexFormat.of().parseHex("1500020000000000"));
        b.put(HexFormat.of().parseHex("b701000001000000"));
        b.put(HexFormat.of().parseHex("db10000000000000"));
        b.put((byte) 0xb7).put((byte) 0).putShort((short) 0).putInt(value);
        b.put(HexFormat.of().parseHex("9500000000000000"));
        return b.array();
    }

    static Program load(String name, ProgramType type, byte[] code) {
        return Program.load(ProgramSpec.builder(name, type).code(code).build());
    }

    static Program load(String name, ProgramType type, AttachType expected, byte[] code) {
        return Program.load(ProgramSpec.builder(name, type).expectedAttachType(expected).code(code).build());
    }

    /** A one-element array map of u64 counters. */
    static KernelMap counterMap() {
        return KernelMap.create(MapSpec.of("jbpf_count", MapType.ARRAY, 4, 8, 1));
    }

    static long count(KernelMap map) {
        byte[] v = new byte[8];
        map.lookup(new byte[4], v);
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong();
    }
}
