package io.jbpf.core.prog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.VerifierException;
import io.jbpf.core.internal.sys.Bpffs;
import io.jbpf.core.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

@KernelTest
class ProgramTest {

    /** r0 = 2 (XDP_PASS); exit — in host (little-endian) byte order. */
    static final byte[] RETURN_2 = HexFormat.of().parseHex("b700000002000000" + "9500000000000000");

    static ProgramSpec xdp(String name, byte[] code) {
        return ProgramSpec.builder(name, ProgramType.XDP).code(code).build();
    }

    @Test
    void loadsAndTestRunsAnXdpProgram() {
        try (Program p = Program.load(xdp("jbpf_ret2", RETURN_2))) {
            byte[] packet = new byte[64];
            packet[12] = 0x08;
            TestRunResult r = p.testRun(TestRun.withData(packet).repeat(10));
            assertThat(r.returnValue()).isEqualTo(2);
            assertThat(r.data()).isEqualTo(packet);
            assertThat(r.durationNs()).isGreaterThanOrEqualTo(0);
            ProgramInfo info = p.info();
            assertThat(info.id()).isEqualTo(p.id());
            assertThat(info.name()).isEqualTo("jbpf_ret2");
            assertThat(info.type()).isEqualTo(ProgramType.XDP);
            assertThat(info.translatedInstructions()).isEqualTo(2);
            assertThat(info.tag()).hasSize(16);
            assertThat(p.translatedCode()).isEqualTo(RETURN_2);
            assertThat(ProgramInfo.ids()).contains(p.id());
        }
    }

    @Test
    void contextGoesInAndComesBackOut() {
        // r0 = skb->mark (offset 8 of __sk_buff); skb->priority (offset 32) = r0 + 1; exit
        byte[] code = HexFormat.of().parseHex("6110080000000000" + "bf02000000000000" + "0702000001000000"
                + "6321200000000000" + "9500000000000000");
        ProgramSpec spec = ProgramSpec.builder("jbpf_ctx", ProgramType.SCHED_CLS).code(code).build();
        try (Program p = Program.load(spec)) {
            byte[] skb = new byte[192]; // sizeof(struct __sk_buff)
            java.nio.ByteBuffer.wrap(skb).order(java.nio.ByteOrder.nativeOrder()).putInt(8, 41);
            byte[] packet = new byte[64];
            packet[12] = 0x08; // IPv4 ethertype
            TestRunResult r = p.testRun(TestRun.withData(packet).context(skb));
            assertThat(r.returnValue()).isEqualTo(41);
            java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(r.context()).order(java.nio.ByteOrder.nativeOrder());
            assertThat(r.context()).hasSize(192);
            assertThat(out.getInt(8)).isEqualTo(41);
            assertThat(out.getInt(32)).isEqualTo(42);
        }
    }

    @Test
    void aSyscallProgramRunsOverAContextOnlyAndWritesItBack() {
        // r2 = *(u32 *)(r1 + 0); r2 += 1; *(u32 *)(r1 + 0) = r2; r0 = 7; exit
        byte[] code = HexFormat.of().parseHex("6112000000000000" + "0702000001000000" + "6321000000000000"
                + "b700000007000000" + "9500000000000000");
        ProgramSpec spec = ProgramSpec.builder("jbpf_sys", ProgramType.SYSCALL).flags(1 << 4) // BPF_F_SLEEPABLE
                .code(code).build();
        try (Program p = Program.load(spec)) {
            byte[] ctx = new byte[8];
            java.nio.ByteBuffer.wrap(ctx).order(java.nio.ByteOrder.nativeOrder()).putInt(0, 41);
            TestRunResult r = p.testRun(TestRun.withContext(ctx));
            assertThat(r.returnValue()).isEqualTo(7);
            assertThat(r.context()).hasSize(8);
            assertThat(java.nio.ByteBuffer.wrap(r.context()).order(java.nio.ByteOrder.nativeOrder()).getInt(0))
                    .isEqualTo(42);
            assertThat(ctx[0]).as("the caller's array is not touched").isEqualTo((byte) 41);
        }
    }

    @Test
    void aRejectedProgramCarriesTheVerifierLog() {
        // exit without setting r0
        byte[] code = HexFormat.of().parseHex("b701000000000000" + "9500000000000000");
        assertThatThrownBy(() -> Program.load(xdp("jbpf_bad", code)))
                .isInstanceOfSatisfying(VerifierException.class, e -> {
                    assertThat(e.log()).contains("R0 !read_ok");
                    assertThat(e.instruction()).isEqualTo(1);
                    assertThat(e.errno()).isEqualTo(Errno.EACCES);
                    assertThat(e.getMessage()).contains("jbpf_bad").contains("at instruction 1").contains("R0 !read_ok");
                });
    }

    @Test
    void aLogLevelGivesTheLogOfAnAcceptedProgram() {
        try (Program p = Program.load(xdp("jbpf_log", RETURN_2), 2)) {
            assertThat(p.verifierLog()).contains("processed 2 insns");
        }
    }

    @Test
    void pinsAndReopens() throws Exception {
        Bpffs.ensureMounted();
        Path pin = Path.of(Bpffs.DEFAULT_ROOT, "jbpf-test-prog-" + ProcessHandle.current().pid());
        try (Program p = Program.load(xdp("jbpf_pin", RETURN_2))) {
            p.pin(pin.toString());
            try (Program again = Program.openPinned(pin.toString()); Program byId = Program.fromId(p.id())) {
                assertThat(again.id()).isEqualTo(p.id());
                assertThat(byId.name()).isEqualTo("jbpf_pin");
                assertThat(again.testRun(TestRun.withData(new byte[20])).returnValue()).isEqualTo(2);
            }
            assertThat(io.jbpf.core.Pins.unpin(pin.toString())).isTrue();
            assertThat(io.jbpf.core.Pins.unpin(pin.toString())).isFalse();
            assertThat(p.testRun(TestRun.withData(new byte[20])).returnValue()).isEqualTo(2);
        } finally {
            Files.deleteIfExists(pin);
        }
        assertThatThrownBy(() -> io.jbpf.core.Pins.unpin("/tmp/jbpf-not-a-pin"))
                .isInstanceOf(io.jbpf.core.JbpfException.class).hasMessageContaining("not on a bpffs mount");
    }

    @Test
    void useAfterCloseThrows() {
        Program p = Program.load(xdp("jbpf_closed", RETURN_2));
        p.close();
        assertThatThrownBy(() -> p.testRun(TestRun.withData(new byte[20])))
                .isInstanceOf(ObjectClosedException.class);
    }

    @Test
    void badSpecsAreRefused() {
        assertThatThrownBy(() -> xdp("jbpf_odd", new byte[7])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8-byte");
        assertThatThrownBy(() -> ProgramSpec.builder("x", ProgramType.XDP).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no instructions");
        // an unknown opcode: the kernel refuses it as invalid
        byte[] bad = HexFormat.of().parseHex("ff00000000000000" + "9500000000000000");
        assertThatThrownBy(() -> Program.load(xdp("jbpf_unknown", bad))).isInstanceOf(BpfException.class)
                .hasMessageContaining("jbpf_unknown");
    }
}
