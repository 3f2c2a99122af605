package io.jbpf.netpolicy.datapath;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static io.jbpf.core.insn.Reg.R4;
import static io.jbpf.core.insn.Reg.R7;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Size;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.netpolicy.policy.Direction;
import java.nio.ByteBuffer;

/**
 * A TC program that runs the {@link PolicyLookup policy step} on a question written in its packet
 * instead of a real packet's headers: {@code u32 identity, u16 endpoint, u8 direction, u8 protocol,
 * u16 port} (big-endian, from byte 0 of a frame of at least {@value #FRAME} bytes). It returns the
 * verdict code (2 deny, 1 allow, 0 no entry; 255 for a short frame). Run with
 * {@code BPF_PROG_TEST_RUN}, it asks the kernel's map what a packet would meet, and it is what the
 * policy step's benchmark measures.
 */
public final class PolicyProbe {
    /** The frame length the probe's questions use (a test run of a TC program needs an Ethernet header). */
    public static final int FRAME = 64;

    private PolicyProbe() {}

    /** The program, referring to the policy map as {@code mapName}. */
    public static ProgramSpec program(String name, String mapName) {
        Assembler a = new Assembler()
                .load(Size.W, R2, R1, 76).load(Size.W, R3, R1, 80)       // __sk_buff data, data_end
                .mov(R4, R2).add(R4, 10).mov(R0, 0xff).jgt(R4, R3, "out")
                .store(Size.W, R10, -16, PolicyMap.FULL_PREFIX)
                .load(Size.W, R4, R2, 0).store(Size.W, R10, -16 + PolicyMap.IDENTITY, R4)
                .load(Size.H, R4, R2, 4).store(Size.H, R10, -16 + PolicyMap.ENDPOINT, R4)
                .load(Size.B, R4, R2, 6).store(Size.B, R10, -16 + PolicyMap.DIRECTION, R4)
                .load(Size.B, R4, R2, 7).store(Size.B, R10, -16 + PolicyMap.PROTOCOL, R4)
                .load(Size.H, R4, R2, 8).store(Size.H, R10, -16 + PolicyMap.PORT, R4);
        PolicyLookup.emit(a, mapName, -16, R7, "policy");
        a.mov(R0, R7).label("out").exit();
        return ProgramSpec.builder(name, ProgramType.SCHED_CLS).instructions(a.build()).build();
    }

    /** The frame that asks about one packet. */
    public static byte[] question(int identity, int endpoint, Direction direction, int protocol, int port) {
        ByteBuffer b = ByteBuffer.allocate(FRAME);
        b.putInt(0, identity).putShort(4, (short) endpoint).put(6, (byte) direction.ordinal()).put(7, (byte) protocol)
                .putShort(8, (short) port);
        return b.array();
    }
}
