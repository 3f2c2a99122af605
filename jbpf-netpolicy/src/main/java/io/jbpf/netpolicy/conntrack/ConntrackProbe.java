package io.jbpf.netpolicy.conntrack;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R7;
import static io.jbpf.core.insn.Reg.R8;
import static io.jbpf.core.insn.Reg.R9;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Size;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.netpolicy.policy.Direction;

/**
 * A TC program that runs connection tracking on a real Ethernet/IPv4 frame, as one hook of the
 * datapath would: {@link ConntrackTuple} reads the packet, {@link ConntrackStep#lookup} tells its
 * result, and (for a probe that stands for a policy allowing everything) {@link ConntrackStep#create}
 * records a {@link ConntrackResult#NEW} connection with the probe's identity. It returns the
 * result's code, plus {@value #CREATE_FAILED} when the creation failed, or {@value #UNTRACKED} for a
 * frame without a tuple. Run with {@code BPF_PROG_TEST_RUN} it tests the steps in the kernel, and
 * in jbpf's VM with the same maps.
 */
public final class ConntrackProbe {
    /** The return value for a packet the tuple step sent to {@code untracked}. */
    public static final int UNTRACKED = 255;
    /** Added to the return value when {@code bpf_map_update_elem} failed. */
    public static final int CREATE_FAILED = 16;

    private static final int AREA = -ConntrackStep.AREA;

    private ConntrackProbe() {}

    /** A probe with the default timeouts. */
    public static ProgramSpec program(String name, String mapName, Direction direction, boolean createOnNew,
            int identity) {
        return program(name, mapName, direction, createOnNew, identity, ConntrackTimeouts.DEFAULTS);
    }

    /**
     * The probe of the hook that sees packets in {@code direction}.
     *
     * @param createOnNew whether it records new connections (a policy that allows) or only looks (one that denies)
     * @param identity    the source identity it stores in the entries it creates
     */
    public static ProgramSpec program(String name, String mapName, Direction direction, boolean createOnNew,
            int identity, ConntrackTimeouts timeouts) {
        Assembler a = new Assembler()
                .load(Size.W, R7, R1, 76).load(Size.W, R8, R1, 80)       // __sk_buff data, data_end
                .mov(R0, UNTRACKED)
                .mov(R2, R7).add(R2, 14).jgt(R2, R8, "out")
                .load(Size.H, R2, R7, 12).toBe(R2, 16).jne(R2, 0x0800, "out")
                .add(R7, 14);                                            // R7: the IPv4 header
        ConntrackTuple.emit(a, R7, R8, direction, AREA, "untracked", "tuple");
        a.store(Size.W, R10, AREA + ConntrackStep.IDENTITY, identity);
        ConntrackStep.lookup(a, mapName, AREA, R9, timeouts, "ct");
        if (createOnNew) {
            a.jne(R9, ConntrackResult.NEW.code(), "result");
            ConntrackStep.create(a, mapName, AREA, timeouts, "ctnew");
            a.jeq(R0, 0, "result").or(R9, CREATE_FAILED);
        }
        a.label("result").mov(R0, R9).exit()
                .label("untracked").mov(R0, UNTRACKED)
                .label("out").exit();
        return ProgramSpec.builder(name, ProgramType.SCHED_CLS).instructions(a.build()).build();
    }
}
