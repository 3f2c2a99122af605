package io.jbpf.core.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** UDP over loopback inside a test namespace: a filter that returns 0 drops what the socket receives. */
@KernelTest
@Timeout(120)
@SuppressWarnings("try") // resources held open for their effect, and close() tested explicitly
class SocketFilterTest {
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_DONTWAIT = 0x40;
    static final int PORT = 4242;

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

    /** A UDP socket created in the test namespace, bound to 127.0.0.1:port when port > 0. */
    static Fd udp(int port) {
        return ns.run(() -> {
            int s = Sys.get().socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            assertThat(s).isNotNegative();
            Fd fd = Fd.own(s, "udp socket");
            if (port > 0) {
                assertThat(Sys.get().bind(s, loopback(port).address(), 16)).isZero();
            }
            return fd;
        });
    }

    /** Sends 100 bytes to the receiver and returns how many arrived (-1 for nothing within 300 ms). */
    static long roundTrip(Fd sender, Fd receiver) throws InterruptedException {
        NativeBuffer msg = NativeBuffer.allocate(100);
        assertThat(Sys.get().sendto(sender.get(), msg.address(), 100, 0, loopback(PORT).address(), 16)).isEqualTo(100);
        NativeBuffer in = NativeBuffer.allocate(2048);
        for (int i = 0; i < 30; i++) {
            long n = Sys.get().recv(receiver.get(), in.address(), 2048, MSG_DONTWAIT);
            if (n >= 0) {
                return n;
            }
            Thread.sleep(10);
        }
        return -1;
    }

    @Test
    void anEbpfFilterReturningZeroDropsAndCloseRemovesIt() throws Exception {
        try (Fd rx = udp(PORT); Fd tx = udp(0);
                Program drop = Progs.load("jbpf_sk_drop", ProgramType.SOCKET_FILTER, Progs.returning(0))) {
            assertThat(roundTrip(tx, rx)).isEqualTo(100);
            SocketFilter f = SocketFilter.attach(drop, rx.get());
            try {
                assertThat(roundTrip(tx, rx)).isEqualTo(-1);
                assertThatThrownBy(f::info).isInstanceOf(UnsupportedOperationException.class);
            } finally {
                f.close();
            }
            assertThat(f.isClosed()).isTrue();
            assertThat(roundTrip(tx, rx)).isEqualTo(100);
        }
    }

    @Test
    void classicFiltersDropOrTruncate() throws Exception {
        try (Fd rx = udp(PORT); Fd tx = udp(0)) {
            try (SocketFilter f = SocketFilter.attachClassic(rx.get(), List.of(ClassicBpfInstruction.ret(0)))) {
                assertThat(roundTrip(tx, rx)).isEqualTo(-1);
            }
            // a UDP socket's filter sees the packet from the UDP header: keep it and 8 bytes of payload
            try (SocketFilter f = SocketFilter.attachClassic(rx.get(), List.of(ClassicBpfInstruction.ret(16)))) {
                assertThat(roundTrip(tx, rx)).isEqualTo(8);
            }
            assertThat(roundTrip(tx, rx)).isEqualTo(100);
        }
    }

    @Test
    void badSocketsAndProgramsAreRefusedWithAHint() {
        try (Program drop = Progs.load("jbpf_sk_drop", ProgramType.SOCKET_FILTER, Progs.returning(0));
                Program xdp = Progs.load("jbpf_xdp_pass", ProgramType.XDP, Progs.returning(2));
                Fd rx = udp(PORT)) {
            assertThatThrownBy(() -> SocketFilter.attach(drop, 9999))
                    .isInstanceOf(AttachException.class).hasMessageContaining("9999").hasMessageContaining("EBADF");
            assertThatThrownBy(() -> SocketFilter.attach(xdp, rx.get()))
                    .isInstanceOf(AttachException.class).hasMessageContaining("SOCKET_FILTER");
            assertThatThrownBy(() -> SocketFilter.attachClassic(rx.get(), List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
