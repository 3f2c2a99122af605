package io.jbpf.core.dsl.cbpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfException;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.link.AttachException;
import io.jbpf.core.link.SocketFilter;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * UDP over loopback in a namespace the test creates: a receiver with a classic filter that takes
 * only datagrams from one source port whose payload starts with 0xcafe gets exactly those, whether
 * the kernel runs the filter as classic BPF or as the eBPF it was converted to.
 */
@KernelTest
@Timeout(120)
@SuppressWarnings("try") // filters held open for their effect
class ClassicSocketFilterTest {
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_DONTWAIT = 0x40;
    static final int RX_PORT = 4343;
    static final int GOOD_PORT = 5001;
    static final int OTHER_PORT = 5002;

    /** A UDP socket's filter sees the datagram from the UDP header: source port at 0, payload at 8. */
    static final CbpfProgram FILTER = CbpfText.assemble(String.join("\n",
            "      ldh [0]",
            "      jeq #" + GOOD_PORT + " jt payload jf drop",
            "payload: ldh [8]",
            "      jeq #0xcafe jt keep jf drop",
            "keep: ret #65535",
            "drop: ret #0")).validate();

    static NetLab lab;
    static NetNamespace ns;

    @BeforeAll
    static void setUp() {
        lab = NetLab.create();
        ns = NetNamespace.open(lab.nsA());
    }

    @AfterAll
    static void tearDown() {
        if (ns != null) {
            ns.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    static NativeBuffer loopback(int port) {
        NativeBuffer a = NativeBuffer.allocate(16);
        a.buffer().putShort(0, (short) AF_INET);
        a.buffer().order(ByteOrder.BIG_ENDIAN).putShort(2, (short) port).putInt(4, 0x7f000001);
        a.buffer().order(ByteOrder.nativeOrder());
        return a;
    }

    /** A UDP socket opened inside the test namespace, bound to 127.0.0.1:port. */
    static Fd udp(int port) {
        return ns.run(() -> {
            int s = Sys.get().socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            assertThat(s).isNotNegative();
            Fd fd = Fd.own(s, "udp socket");
            assertThat(Sys.get().bind(s, loopback(port).address(), 16)).isZero();
            return fd;
        });
    }

    static void send(Fd from, int tag, boolean cafe) {
        NativeBuffer msg = NativeBuffer.allocate(32);
        msg.buffer().order(ByteOrder.BIG_ENDIAN).putShort(0, (short) (cafe ? 0xcafe : 0xbeef)).putInt(2, tag);
        assertThat(Sys.get().sendto(from.get(), msg.address(), 32, 0, loopback(RX_PORT).address(), 16)).isEqualTo(32);
    }

    /** The tags of the datagrams waiting on {@code rx}, waiting until {@code expected} arrived or 500 ms passed. */
    static List<Integer> received(Fd rx, int expected) throws InterruptedException {
        List<Integer> tags = new ArrayList<>();
        NativeBuffer in = NativeBuffer.allocate(2048);
        for (int idle = 0; idle < 50; ) {
            long n = Sys.get().recv(rx.get(), in.address(), 2048, MSG_DONTWAIT);
            if (n >= 0) {
                assertThat(n).isEqualTo(32);
                tags.add(in.buffer().order(ByteOrder.BIG_ENDIAN).getInt(2));
                continue;
            }
            if (tags.size() >= expected) {
                idle += 10; // a little longer, to see that nothing else comes
            }
            idle++;
            Thread.sleep(10);
        }
        return tags;
    }

    void onlyMatchingDatagramsArrive(BiFunction<Integer, CbpfProgram, SocketFilter> attach) throws Exception {
        try (Fd rx = udp(RX_PORT); Fd good = udp(GOOD_PORT); Fd other = udp(OTHER_PORT)) {
            try (SocketFilter f = attach.apply(rx.get(), FILTER)) {
                send(good, 1, true);
                send(good, 2, false);
                send(other, 3, true);
                send(other, 4, false);
                send(good, 5, true);
                send(other, 6, true);
                send(good, 7, true);
                assertThat(received(rx, 3)).containsExactly(1, 5, 7);
            }
            // detached: everything arrives again
            send(other, 8, false);
            send(good, 9, false);
            assertThat(received(rx, 2)).containsExactly(8, 9);
        }
    }

    @Test
    void aClassicFilterPassesOnlyMatchingDatagrams() throws Exception {
        onlyMatchingDatagramsArrive(ClassicSocketFilter::attach);
    }

    @Test
    void theConvertedFilterBehavesTheSame() throws Exception {
        onlyMatchingDatagramsArrive((fd, p) -> ClassicSocketFilter.attachConverted(fd, p, "jbpf_cbpf_udp"));
    }

    @Test
    void theKernelGivesBackTheAttachedClassicProgram() {
        try (Fd rx = udp(RX_PORT)) {
            assertThat(ClassicSocketFilter.attached(rx.get())).isEmpty();
            try (SocketFilter f = ClassicSocketFilter.attach(rx.get(), FILTER)) {
                assertThat(ClassicSocketFilter.attached(rx.get())).contains(FILTER);
            }
            assertThat(ClassicSocketFilter.attached(rx.get())).isEmpty();
        }
    }

    @Test
    void aLockedFilterCannotBeDetachedOrReplaced() {
        try (Fd rx = udp(RX_PORT)) {
            SocketFilter f = ClassicSocketFilter.attach(rx.get(), FILTER);
            ClassicSocketFilter.lock(rx.get());
            assertThatThrownBy(() -> ClassicSocketFilter.attach(rx.get(), CbpfProgram.of(CbpfInsn.ret(0))))
                    .isInstanceOf(AttachException.class).hasMessageContaining("EPERM");
            assertThatThrownBy(f::close).isInstanceOf(BpfException.class).hasMessageContaining("EPERM");
            assertThat(ClassicSocketFilter.attached(rx.get())).contains(FILTER);
        }
    }

    /** Programs on both sides of each rule of CbpfProgram.validate(). */
    static List<List<CbpfInsn>> rulePrograms() {
        CbpfInsn ld0 = CbpfInsn.ldImm(0);
        CbpfInsn retA = CbpfInsn.retA();
        List<List<CbpfInsn>> out = new ArrayList<>();
        out.add(List.of(ld0));
        out.add(List.of(ld0, retA));
        out.add(List.of(CbpfInsn.ret(0)));
        out.add(List.of(CbpfInsn.stmt(0x0e, 0)));
        out.add(List.of(CbpfInsn.stmt(0x08, 1), retA));
        out.add(List.of(CbpfInsn.stmt(0x81, 0), retA)); // ldx #len is fine
        out.add(List.of(CbpfInsn.stmt(0x89, 0), retA)); // ldxh #len is not
        for (int k : new int[] {0, 1}) {
            out.add(List.of(ld0, CbpfInsn.alu(CbpfInsn.AluOp.DIV, k), retA));
            out.add(List.of(ld0, CbpfInsn.alu(CbpfInsn.AluOp.MOD, k), retA));
        }
        for (int k : new int[] {31, 32}) {
            out.add(List.of(ld0, CbpfInsn.alu(CbpfInsn.AluOp.LSH, k), retA));
            out.add(List.of(ld0, CbpfInsn.alu(CbpfInsn.AluOp.RSH, k), retA));
        }
        for (int k : new int[] {15, 16}) {
            out.add(List.of(ld0, CbpfInsn.st(k), CbpfInsn.ldMem(k), retA));
            out.add(List.of(ld0, CbpfInsn.stx(k), CbpfInsn.ldxMem(k), retA));
        }
        out.add(List.of(CbpfInsn.ldMem(3), retA));
        out.add(List.of(ld0, CbpfInsn.jmp(CbpfInsn.JmpOp.JEQ, 0, 0, 1), CbpfInsn.st(2), CbpfInsn.ldMem(2), retA));
        out.add(List.of(ld0, CbpfInsn.st(2), CbpfInsn.jmp(CbpfInsn.JmpOp.JEQ, 0, 0, 1), CbpfInsn.st(2),
                CbpfInsn.ldMem(2), retA));
        for (int k : new int[] {0, 1}) {
            out.add(List.of(CbpfInsn.ja(k), ld0, retA));
            out.add(List.of(ld0, CbpfInsn.jmp(CbpfInsn.JmpOp.JGT, 0, k, 0), retA, retA));
        }
        out.add(List.of(CbpfInsn.ja(-1), retA));
        for (int off : new int[] {0, 2, 44, 48, 60, 64, 4092}) {
            out.add(List.of(CbpfInsn.ldAbs(CbpfInsn.Size.W, CbpfInsn.SKF_AD_OFF + off), retA));
        }
        out.add(List.of(CbpfInsn.ldAbs(CbpfInsn.Size.B, CbpfInsn.SKF_NET_OFF), retA));
        out.add(List.of(CbpfInsn.ldAbs(CbpfInsn.Size.H, -1), retA));
        out.add(List.of(CbpfInsn.stmt(0x1234, 0), retA));
        out.add(java.util.Collections.nCopies(4096, CbpfInsn.ret(0)));
        out.add(java.util.Collections.nCopies(4097, CbpfInsn.ret(0)));
        return out;
    }

    @Test
    void theValidatorAcceptsWhatTheKernelAccepts() {
        try (Fd rx = udp(RX_PORT)) {
            int valid = 0;
            for (List<CbpfInsn> insns : rulePrograms()) {
                CbpfProgram p = CbpfProgram.unchecked(insns);
                boolean kernelAccepts;
                List<io.jbpf.core.link.ClassicBpfInstruction> raw = new ArrayList<>();
                insns.forEach(i -> raw.add(new io.jbpf.core.link.ClassicBpfInstruction(i.code(), i.jt(), i.jf(), i.k())));
                try (SocketFilter f = SocketFilter.attachClassic(rx.get(), raw)) {
                    kernelAccepts = true;
                } catch (AttachException e) {
                    assertThat(e.getMessage()).contains("EINVAL");
                    kernelAccepts = false;
                } catch (IllegalArgumentException e) {
                    kernelAccepts = false; // more than 4096: refused before the kernel
                }
                assertThat(p.isValid()).as("%s", insns.size() > 8 ? insns.size() + " instructions" : p).isEqualTo(kernelAccepts);
                valid += kernelAccepts ? 1 : 0;
            }
            assertThat(valid).isBetween(10, rulePrograms().size() - 10);
        }
    }

    @Test
    void invalidProgramsAreRefusedBeforeTheKernelSeesThem() {
        try (Fd rx = udp(RX_PORT)) {
            CbpfProgram bad = CbpfProgram.unchecked(List.of(CbpfInsn.ldAbs(CbpfInsn.Size.H, 0)));
            assertThatThrownBy(() -> ClassicSocketFilter.attach(rx.get(), bad)).isInstanceOf(CbpfException.class)
                    .hasMessageContaining("return");
            assertThat(ClassicSocketFilter.attached(rx.get())).isEmpty();
        }
    }
}
