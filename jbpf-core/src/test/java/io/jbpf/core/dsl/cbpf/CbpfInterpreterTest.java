package io.jbpf.core.dsl.cbpf;

import static io.jbpf.core.dsl.cbpf.CbpfInsn.AluOp;
import static io.jbpf.core.dsl.cbpf.CbpfInsn.JmpOp;
import static io.jbpf.core.dsl.cbpf.CbpfInsn.Size;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CbpfInterpreterTest {
    static final CbpfInterpreter K = CbpfInterpreter.kernel();
    static final CbpfInterpreter P = CbpfInterpreter.libpcap();

    /** Ethernet + IPv4 (ihl words) + TCP ports. */
    static byte[] tcp4(int ihl, int sport, int dport) {
        byte[] f = new byte[14 + ihl * 4 + 20];
        f[12] = 0x08;
        f[14] = (byte) (0x40 | ihl);
        f[14 + 9] = 6;
        int t = 14 + ihl * 4;
        f[t] = (byte) (sport >> 8);
        f[t + 1] = (byte) sport;
        f[t + 2] = (byte) (dport >> 8);
        f[t + 3] = (byte) dport;
        return f;
    }

    /** tcpdump -d 'ip and tcp dst port 80' (IPv4 part). */
    static final CbpfProgram TCP_DST_80 = CbpfProgram.of(
            CbpfInsn.ldAbs(Size.H, 12),
            CbpfInsn.jmp(JmpOp.JEQ, 0x800, 0, 8),
            CbpfInsn.ldAbs(Size.B, 23),
            CbpfInsn.jmp(JmpOp.JEQ, 6, 0, 6),
            CbpfInsn.ldAbs(Size.H, 20),
            CbpfInsn.jmp(JmpOp.JSET, 0x1fff, 4, 0),
            CbpfInsn.ldxMsh(14),
            CbpfInsn.ldInd(Size.H, 16),
            CbpfInsn.jmp(JmpOp.JEQ, 80, 0, 1),
            CbpfInsn.ret(262144),
            CbpfInsn.ret(0));

    @Test
    void readsHeadersInNetworkOrderAndFollowsTheIpHeaderLength() {
        assertThat(K.run(TCP_DST_80, tcp4(5, 1234, 80))).isEqualTo(262144);
        assertThat(K.run(TCP_DST_80, tcp4(7, 1234, 80))).isEqualTo(262144); // options move the ports
        assertThat(K.run(TCP_DST_80, tcp4(5, 80, 81))).isZero();
        assertThat(K.run(TCP_DST_80, tcp4(5, 1234, 80 + 256))).isZero();
        byte[] frag = tcp4(5, 1, 80);
        frag[20] = 0x00;
        frag[21] = 0x10; // fragment offset 16
        assertThat(K.run(TCP_DST_80, frag)).isZero();
        assertThat(P.run(TCP_DST_80, tcp4(5, 1234, 80))).isEqualTo(262144);
    }

    @Test
    void aLoadPastTheEndReturnsZeroWhateverFollows() {
        byte[] full = tcp4(5, 1, 80);
        // cut inside the destination port: the [x + 16] load fails, and the filter returns 0 at once
        assertThat(K.run(TCP_DST_80, Arrays.copyOf(full, 14 + 20 + 3))).isZero();
        assertThat(K.run(TCP_DST_80, Arrays.copyOf(full, 14 + 20 + 4))).isEqualTo(262144);
        CbpfProgram acceptOnFail = CbpfProgram.of(CbpfInsn.ldAbs(Size.W, 100), CbpfInsn.ret(7));
        assertThat(K.run(acceptOnFail, new byte[103])).isZero();
        assertThat(K.run(acceptOnFail, new byte[104])).isEqualTo(7);
        assertThat(P.run(acceptOnFail, new byte[103])).isZero();
        // X + k wraps at 32 bits in the kernel (X = -4, k = 8 reads offset 4); libpcap calls it out of the packet
        byte[] b = new byte[64];
        b[4] = 9;
        CbpfProgram wrap = CbpfProgram.of(CbpfInsn.ldxImm(-4), CbpfInsn.ldInd(Size.B, 8), CbpfInsn.retA());
        assertThat(K.run(wrap, b)).isEqualTo(9);
        assertThat(P.run(wrap, b)).isZero();
    }

    @Test
    void arithmeticIsUnsigned32Bit() {
        CbpfProgram divX = CbpfProgram.of(CbpfInsn.ldImm(-2), CbpfInsn.ldxImm(2), CbpfInsn.aluX(AluOp.DIV), CbpfInsn.retA());
        assertThat(K.run(divX, new byte[0])).isEqualTo(0x7fffffff);
        CbpfProgram modK = CbpfProgram.of(CbpfInsn.ldImm(-1), CbpfInsn.alu(AluOp.MOD, 10), CbpfInsn.retA());
        assertThat(K.run(modK, new byte[0])).isEqualTo((int) (0xffffffffL % 10));
        CbpfProgram rsh = CbpfProgram.of(CbpfInsn.ldImm(0x80000000), CbpfInsn.alu(AluOp.RSH, 31), CbpfInsn.retA());
        assertThat(K.run(rsh, new byte[0])).isEqualTo(1);
        CbpfProgram mixed = CbpfProgram.of(CbpfInsn.ldImm(5), CbpfInsn.alu(AluOp.MUL, 3), CbpfInsn.alu(AluOp.SUB, 20),
                CbpfInsn.neg(), CbpfInsn.alu(AluOp.XOR, 0xff), CbpfInsn.alu(AluOp.OR, 0x100), CbpfInsn.alu(AluOp.AND, 0x1f0),
                CbpfInsn.retA());
        assertThat(K.run(mixed, new byte[0])).isEqualTo(((-(5 * 3 - 20)) ^ 0xff | 0x100) & 0x1f0);
        // unsigned comparisons: -1 > 1
        CbpfProgram gt = CbpfProgram.of(CbpfInsn.ldImm(-1), CbpfInsn.jmp(JmpOp.JGT, 1, 0, 1), CbpfInsn.ret(1), CbpfInsn.ret(2));
        assertThat(K.run(gt, new byte[0])).isEqualTo(1);
        CbpfProgram ge = CbpfProgram.of(CbpfInsn.ldImm(1), CbpfInsn.ldxImm(1), CbpfInsn.jmpX(JmpOp.JGE, 0, 1), CbpfInsn.ret(1),
                CbpfInsn.ret(2));
        assertThat(K.run(ge, new byte[0])).isEqualTo(1);
    }

    @Test
    void divisionByZeroXReturnsZero() {
        for (AluOp op : new AluOp[] {AluOp.DIV, AluOp.MOD}) {
            CbpfProgram p = CbpfProgram.of(CbpfInsn.ldImm(10), CbpfInsn.ldxImm(0), CbpfInsn.aluX(op), CbpfInsn.ret(99));
            assertThat(K.run(p, new byte[0])).isZero();
            assertThat(P.run(p, new byte[0])).isZero();
        }
    }

    @Test
    void shiftsByXOf32OrMoreDifferBetweenKernelAndLibpcap() {
        CbpfProgram p = CbpfProgram.of(CbpfInsn.ldImm(3), CbpfInsn.ldxImm(33), CbpfInsn.aluX(AluOp.LSH), CbpfInsn.retA());
        assertThat(K.run(p, new byte[0])).isEqualTo(6);
        assertThat(P.run(p, new byte[0])).isZero();
    }

    @Test
    void lengthScratchMemoryAndRegisterMoves() {
        CbpfProgram p = CbpfProgram.of(CbpfInsn.ldLen(), CbpfInsn.st(15), CbpfInsn.ldxLen(), CbpfInsn.txa(),
                CbpfInsn.aluX(AluOp.ADD), CbpfInsn.tax(), CbpfInsn.stx(3), CbpfInsn.ldMem(15), CbpfInsn.ldxMem(3),
                CbpfInsn.aluX(AluOp.ADD), CbpfInsn.retA());
        assertThat(K.run(p, new byte[40])).isEqualTo(120);
        // ld #len is the wire length, loads are bounded by the captured bytes
        assertThat(K.run(p, CbpfPacket.of(new byte[40]).withLength(1500))).isEqualTo(4500);
    }

    @Test
    void ancillaryLoadsReadTheMetadata() {
        CbpfProgram proto = CbpfProgram.of(CbpfInsn.ldAncillary(CbpfInsn.Ancillary.PROTOCOL), CbpfInsn.retA());
        CbpfPacket pkt = CbpfPacket.of(new byte[20]).withMetadata(CbpfPacket.Metadata.of(0x86dd, 7));
        assertThat(K.run(proto, pkt)).isEqualTo(0x86dd);
        CbpfProgram ifidx = CbpfProgram.of(CbpfInsn.ldAncillary(CbpfInsn.Ancillary.IFINDEX), CbpfInsn.retA());
        assertThat(K.run(ifidx, pkt)).isEqualTo(7);
        CbpfProgram vlan = CbpfProgram.of(CbpfInsn.ldAncillary(CbpfInsn.Ancillary.VLAN_TAG_PRESENT),
                CbpfInsn.jmp(JmpOp.JEQ, 0, 2, 0), CbpfInsn.ldAncillary(CbpfInsn.Ancillary.VLAN_TAG),
                CbpfInsn.alu(AluOp.AND, 0xfff), CbpfInsn.retA());
        assertThat(K.run(vlan, pkt)).isZero();
        assertThat(K.run(vlan, pkt.withMetadata(pkt.metadata().withVlan(0x8100, 0x2064)))).isEqualTo(0x064);
        CbpfProgram type = CbpfProgram.of(CbpfInsn.ldAncillary(CbpfInsn.Ancillary.PKTTYPE), CbpfInsn.retA());
        assertThat(K.run(type, pkt.withMetadata(pkt.metadata().withPktType(3)))).isEqualTo(3);
        CbpfProgram xorX = CbpfProgram.of(CbpfInsn.ldImm(0xf0), CbpfInsn.ldxImm(0xff),
                CbpfInsn.ldAncillary(CbpfInsn.Ancillary.ALU_XOR_X), CbpfInsn.retA());
        assertThat(K.run(xorX, new byte[0])).isEqualTo(0x0f);
        // without metadata the kernel flavour refuses; libpcap treats the offset as out of the packet
        assertThatThrownBy(() -> K.run(proto, new byte[20])).isInstanceOf(CbpfException.class)
                .hasMessageContaining("metadata").satisfies(e -> assertThat(((CbpfException) e).index()).isZero());
        assertThat(P.run(proto, pkt)).isZero();
    }

    @Test
    void negativeOffsetsAreRelativeToTheLinkAndNetworkHeaders() {
        byte[] f = tcp4(5, 1, 80);
        f[14 + 8] = 64; // TTL
        // a socket-filter view: data starts at the IP header, the MAC header 14 bytes before it
        CbpfPacket l3 = new CbpfPacket(f, 14, f.length - 14, 0, 14, null);
        CbpfProgram etherType = CbpfProgram.of(CbpfInsn.ldAbs(Size.H, CbpfInsn.SKF_LL_OFF + 12), CbpfInsn.retA());
        assertThat(K.run(etherType, l3)).isEqualTo(0x0800);
        CbpfProgram ttl = CbpfProgram.of(CbpfInsn.ldAbs(Size.B, CbpfInsn.SKF_NET_OFF + 8), CbpfInsn.retA());
        assertThat(K.run(ttl, l3)).isEqualTo(64);
        CbpfProgram plainTtl = CbpfProgram.of(CbpfInsn.ldAbs(Size.B, 8), CbpfInsn.retA());
        assertThat(K.run(plainTtl, l3)).isEqualTo(64);
        CbpfProgram len = CbpfProgram.of(CbpfInsn.ldLen(), CbpfInsn.retA());
        assertThat(K.run(len, l3)).isEqualTo(40);
        // no network header known: the load fails
        assertThat(K.run(ttl, CbpfPacket.of(f))).isZero();
        assertThat(K.run(CbpfProgram.of(CbpfInsn.ldAbs(Size.B, CbpfInsn.SKF_LL_OFF - 1), CbpfInsn.ret(1)), l3)).isZero();
        assertThat(P.run(etherType, l3)).isZero();
    }

    @Test
    void invalidProgramsAreNotRun() {
        CbpfProgram bad = CbpfProgram.unchecked(java.util.List.of(CbpfInsn.ldImm(0)));
        assertThatThrownBy(() -> K.run(bad, new byte[0])).isInstanceOf(CbpfException.class);
    }
}
