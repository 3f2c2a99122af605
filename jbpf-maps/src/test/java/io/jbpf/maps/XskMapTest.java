package io.jbpf.maps;

import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * XSK maps with real AF_XDP sockets. User space cannot read an XSK map back, so a program run with
 * test-run reads it: {@code bpf_redirect_map(xsks, slot, XDP_PASS)} returns XDP_REDIRECT when the
 * slot holds a socket and its fallback XDP_PASS when it is empty.
 */
@KernelTest
class XskMapTest {
    static final int AF_XDP = 44;
    static final int SOCK_RAW = 3;
    static final int XDP_PASS = 2;
    static final int XDP_REDIRECT = 4;

    static Fd xdpSocket() {
        int fd = Sys.get().socket(AF_XDP, SOCK_RAW, 0);
        assertThat(fd).as("socket(AF_XDP)").isNotNegative();
        return Fd.own(fd, "AF_XDP test socket");
    }

    static Program redirectTo(BpfXskMap map, int slot) {
        ProgramSpec spec = ProgramSpec.builder("jbpf_xsk_redir", ProgramType.XDP).instructions(new Assembler()
                .ldMap(R1, "xsks")
                .mov(R2, slot)
                .mov(R3, XDP_PASS)
                .call(Helper.ofName("redirect_map"))
                .exit()
                .build()).build();
        return Program.load(spec, Map.of("xsks", map.kernelMap()));
    }

    static int run(Program p) {
        return p.testRun(TestRun.withData(new byte[64])).returnValue();
    }

    @Test
    void afXdpSocketsGoInAndAProgramRedirectsToThem() {
        try (BpfXskMap xsks = BpfXskMap.create("jbpf_t_xsks", 4); Program slot0 = redirectTo(xsks, 0);
                Program slot1 = redirectTo(xsks, 1); Fd a = xdpSocket(); Fd b = xdpSocket()) {
            assertThat(xsks.length()).isEqualTo(4);
            assertThat(run(slot0)).as("empty slot").isEqualTo(XDP_PASS);
            xsks.set(0, a.get());
            assertThat(run(slot0)).isEqualTo(XDP_REDIRECT);
            assertThat(run(slot1)).isEqualTo(XDP_PASS);
            assertThat(xsks.setIfEmpty(0, b.get())).isFalse();
            assertThat(xsks.setIfEmpty(0, a.get())).as("the socket the slot holds").isTrue();
            assertThat(xsks.setIfEmpty(1, b.get())).isTrue();
            assertThat(run(slot1)).isEqualTo(XDP_REDIRECT);
            xsks.remove(0);
            assertThat(run(slot0)).isEqualTo(XDP_PASS);
            xsks.remove(0); // the kernel takes a delete of an empty slot
            b.close();
            assertThat(run(slot1)).as("closing a socket takes it out of the map").isEqualTo(XDP_PASS);
        }
    }

    @Test
    void otherFdsSlotsAndReadsAreRefused() {
        int udp = SocketMapTest.boundUdp(Sys.get());
        try (BpfXskMap xsks = BpfXskMap.create("jbpf_t_xsks", 2); Fd a = xdpSocket()) {
            assertThatThrownBy(() -> xsks.set(0, udp)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("jbpf_t_xsks").hasMessageContaining("fd " + udp + " is not an AF_XDP socket");
            assertThatThrownBy(() -> xsks.set(2, a.get())).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("slot 2");
            assertThatThrownBy(() -> xsks.set(-1, a.get())).isInstanceOf(IndexOutOfBoundsException.class);
            xsks.set(1, a.get());
            assertThatThrownBy(() -> xsks.raw().lookup(new byte[4], new byte[4]))
                    .as("user space cannot read an XSK map").isInstanceOfSatisfying(BpfException.class,
                            e -> assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP));
            assertThatThrownBy(() -> BpfXskMap.create(MapSpec.of("jbpf_t_notxsk", MapType.HASH, 4, 4, 2)))
                    .isInstanceOf(MapMismatchException.class).hasMessageContaining("XSKMAP");
        } finally {
            Sys.get().close(udp);
        }
    }

    @Test
    void aNumberThatIsNoOpenFdIsRefusedWithEbadf() {
        try (BpfXskMap xsks = BpfXskMap.create("jbpf_t_xsks", 2)) {
            assertThatThrownBy(() -> xsks.set(0, 1 << 30)).isInstanceOfSatisfying(BpfException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
        }
    }
}
