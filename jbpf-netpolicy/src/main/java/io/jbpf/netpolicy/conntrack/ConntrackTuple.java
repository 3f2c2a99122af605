package io.jbpf.netpolicy.conntrack;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.netpolicy.policy.Direction;

/**
 * Emits the code that fills a {@link ConntrackStep} question area from an IPv4 packet, reading it
 * through direct packet access (XDP or TC).
 *
 * <h2>What it reads</h2>
 * <ul>
 *   <li>TCP, UDP, SCTP: the ports (and TCP's flags).</li>
 *   <li>ICMP echo request: source port 0, the identifier as destination port; echo reply: the
 *       identifier as source port, destination port 0 — so a reply's reversed key is its request's.</li>
 *   <li>ICMP destination unreachable (3), time exceeded (11), parameter problem (12): the quoted
 *       packet's tuple (its IPv4 header and first 8 bytes, read the same way), the direction
 *       flipped (the quoted packet travelled the other way) and kind {@link ConntrackStep#KIND_ICMP_ERROR}.</li>
 *   <li>Other protocols: ports 0.</li>
 * </ul>
 * Packets it cannot read a tuple from jump to {@code untracked}, where the caller must not let them
 * through on conntrack's word (judge them by policy alone, or drop them): not IPv4, an IHL below 5,
 * a header cut short (IPv4, the transport header's first bytes: 20 for TCP, 12 SCTP, 8 UDP and
 * ICMP; an ICMP error's quoted header and 8 bytes after it), later fragments (offset not 0: no
 * transport header), other ICMP types, and ICMP errors quoting an ICMP message other than echo.
 *
 * <h2>Registers</h2>
 * {@code ip} points at the IPv4 header and {@code end} is {@code data_end}; both must be among
 * R4–R9 and are left unchanged. The code uses R0–R3 and falls through when the area is filled.
 */
public final class ConntrackTuple {
    private ConntrackTuple() {}

    /**
     * Appends the parse.
     *
     * @param a         the program being assembled
     * @param ip        a packet pointer to the IPv4 header (R4–R9)
     * @param end       the packet's end (R4–R9)
     * @param direction the direction the hook sees the packet in
     * @param area      the question area's offset from R10
     * @param untracked where packets without a tuple go
     * @param labels    a prefix that makes this step's labels unique in the program
     * @return {@code a}
     */
    public static Assembler emit(Assembler a, Reg ip, Reg end, Direction direction, int area, String untracked,
            String labels) {
        for (Reg r : new Reg[] {ip, end}) {
            if (r.ordinal() < Reg.R4.ordinal() || r == Reg.R10) {
                throw new IllegalArgumentException("the packet registers must be in R4-R9 (the parse uses R0-R3), not " + r);
            }
        }
        if (ip == end) {
            throw new IllegalArgumentException("ip and end must be different registers, both are " + ip);
        }
        ConntrackStep.checkArea(area);
        int key = area + ConntrackStep.KEY;
        int dir = direction == Direction.INGRESS ? 0 : 1;
        String done = labels + "_done";
        String ports = labels + "_ports";
        String noPorts = labels + "_noports";
        String icmp = labels + "_icmp";
        String error = labels + "_error";

        // IPv4 header: version 4, IHL >= 5, whole; not a later fragment
        a.mov(R2, ip).add(R2, 20).jgt(R2, end, untracked)
                .load(Size.B, R0, ip, 0).mov(R1, R0).rsh(R1, 4).jne(R1, 4, untracked)
                .and(R0, 0xf).jlt(R0, 5, untracked).lsh(R0, 2)
                .mov(R1, ip).add(R1, R0)                                   // R1: transport header
                .load(Size.H, R0, ip, 6).toBe(R0, 16).and(R0, 0x1fff).jne(R0, 0, untracked)
                .load(Size.H, R0, ip, 2).toBe(R0, 16).store(Size.W, R10, area + ConntrackStep.LENGTH, R0)
                .store(Size.W, R10, area + ConntrackStep.FLAGS, 0)         // flags, kind, pad
                .store(Size.W, R10, area + ConntrackStep.IDENTITY, 0)      // the caller may set it later
                .load(Size.W, R0, ip, 12).store(Size.W, R10, key + ConntrackMap.SADDR, R0)
                .load(Size.W, R0, ip, 16).store(Size.W, R10, key + ConntrackMap.DADDR, R0)
                .store(Size.W, R10, key + ConntrackMap.PROTOCOL, 0)
                .store(Size.B, R10, key + ConntrackMap.DIRECTION, dir)
                .load(Size.B, R0, ip, 9).store(Size.B, R10, key + ConntrackMap.PROTOCOL, R0);
        transport(a, R1, end, area, untracked, labels, true, ports, noPorts, icmp);

        // ICMP of the packet itself
        a.label(icmp);
        echo(a, R1, area, labels + "_echo", done, error, untracked);

        // an ICMP error: R1 is the ICMP header, the quoted IPv4 header follows it
        a.label(error)
                .mov(R3, R1).add(R3, 8)
                .mov(R2, R3).add(R2, 20).jgt(R2, end, untracked)
                .load(Size.B, R0, R3, 0).mov(R2, R0).rsh(R2, 4).jne(R2, 4, untracked)
                .and(R0, 0xf).jlt(R0, 5, untracked).lsh(R0, 2)
                .load(Size.H, R2, R3, 6).toBe(R2, 16).and(R2, 0x1fff).jne(R2, 0, untracked)
                .load(Size.W, R2, R3, 12).store(Size.W, R10, key + ConntrackMap.SADDR, R2)
                .load(Size.W, R2, R3, 16).store(Size.W, R10, key + ConntrackMap.DADDR, R2)
                .load(Size.B, R2, R3, 9).store(Size.B, R10, key + ConntrackMap.PROTOCOL, R2)
                .store(Size.B, R10, key + ConntrackMap.DIRECTION, dir ^ 1)
                .store(Size.B, R10, area + ConntrackStep.KIND, ConntrackStep.KIND_ICMP_ERROR)
                .add(R3, R0);                                              // R3: the quoted transport header
        String qPorts = labels + "_qports";
        String qNoPorts = labels + "_qnoports";
        String qIcmp = labels + "_qicmp";
        transport(a, R3, end, area, untracked, labels + "_q", false, qPorts, qNoPorts, qIcmp);
        a.label(qIcmp);
        echo(a, R3, area, labels + "_qecho", done, untracked, untracked);
        a.label(qPorts).load(Size.W, R0, R3, 0).store(Size.W, R10, key + ConntrackMap.SPORT, R0).ja(done);
        a.label(qNoPorts).store(Size.W, R10, key + ConntrackMap.SPORT, 0).ja(done);

        a.label(ports).load(Size.W, R0, R1, 0).store(Size.W, R10, key + ConntrackMap.SPORT, R0).ja(done);
        a.label(noPorts).store(Size.W, R10, key + ConntrackMap.SPORT, 0);
        a.label(done);
        return a;
    }

    /**
     * Dispatches on the protocol stored in the key: bounds-checks the transport header at {@code l4}
     * and jumps to {@code ports}, {@code noPorts} or {@code icmp}. Only the packet's own TCP header
     * gives the flags (an ICMP error quotes 8 bytes, not the flags).
     */
    private static void transport(Assembler a, Reg l4, Reg end, int area, String untracked, String labels,
            boolean ownFlags, String ports, String noPorts, String icmp) {
        int key = area + ConntrackStep.KEY;
        a.load(Size.B, R0, R10, key + ConntrackMap.PROTOCOL)
                .jeq(R0, 6, labels + "_tcp").jeq(R0, 17, labels + "_8").jeq(R0, 132, labels + "_sctp")
                .jeq(R0, 1, labels + "_icmp8").ja(noPorts);
        if (ownFlags) {
            a.label(labels + "_tcp").mov(R2, l4).add(R2, 20).jgt(R2, end, untracked)
                    .load(Size.B, R0, l4, 13).store(Size.B, R10, area + ConntrackStep.FLAGS, R0).ja(ports);
            a.label(labels + "_sctp").mov(R2, l4).add(R2, 12).jgt(R2, end, untracked).ja(ports);
        } else {
            a.label(labels + "_tcp").label(labels + "_sctp");
        }
        a.label(labels + "_8").mov(R2, l4).add(R2, 8).jgt(R2, end, untracked).ja(ports);
        a.label(labels + "_icmp8").mov(R2, l4).add(R2, 8).jgt(R2, end, untracked).ja(icmp);
    }

    /** ICMP at {@code icmp} (8 bytes checked): echo request or reply → ports, errors → {@code error}, else {@code other}. */
    private static void echo(Assembler a, Reg icmp, int area, String labels, String done, String error, String other) {
        int key = area + ConntrackStep.KEY;
        a.load(Size.B, R0, icmp, 0)
                .jeq(R0, 8, labels + "_req").jeq(R0, 0, labels + "_rep")
                .jeq(R0, 3, error).jeq(R0, 11, error).jeq(R0, 12, error).ja(other);
        a.label(labels + "_req").load(Size.H, R0, icmp, 4)
                .store(Size.H, R10, key + ConntrackMap.SPORT, 0).store(Size.H, R10, key + ConntrackMap.DPORT, R0).ja(done);
        a.label(labels + "_rep").load(Size.H, R0, icmp, 4)
                .store(Size.H, R10, key + ConntrackMap.SPORT, R0).store(Size.H, R10, key + ConntrackMap.DPORT, 0).ja(done);
    }
}
