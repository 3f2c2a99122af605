package io.jbpf.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.internal.sys.Syscalls;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.maps.codec.Codecs;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Sockmaps and sockhashes with bound UDP sockets (Linux 5.7+ takes UDP). */
@KernelTest
class SocketMapTest {
    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOL_SOCKET = 1;
    static final int SO_COOKIE = 57;

    /** A UDP socket bound to 127.0.0.1 on an ephemeral port. */
    static int boundUdp(Syscalls sys) {
        int fd = sys.socket(AF_INET, SOCK_DGRAM, 0);
        assertThat(fd).as("socket()").isNotNegative();
        NativeBuffer addr = NativeBuffer.allocate(16);
        addr.buffer().order(ByteOrder.nativeOrder()).putShort(0, (short) AF_INET);
        addr.buffer().put(4, (byte) 127).put(7, (byte) 1);
        assertThat(sys.bind(fd, addr.address(), 16)).as("bind()").isZero();
        return fd;
    }

    static long cookie(Syscalls sys, int fd) {
        NativeBuffer v = NativeBuffer.allocate(8);
        NativeBuffer len = NativeBuffer.allocate(4);
        len.buffer().order(ByteOrder.nativeOrder()).putInt(0, 8);
        assertThat(sys.getsockopt(fd, SOL_SOCKET, SO_COOKIE, v.address(), len.address())).isZero();
        return v.buffer().order(ByteOrder.nativeOrder()).getLong(0);
    }

    @Test
    void socketsGoInAndComeBackAsCookies() {
        Syscalls sys = Sys.get();
        int a = boundUdp(sys);
        int b = boundUdp(sys);
        try (SocketMap<Integer> map = SocketMap.createSockMap("jbpf_t_sockmap", 4);
                SocketMap<Long> hash = SocketMap.createSockHash("jbpf_t_sockhash", 4, Codecs.u64())) {
            assertThat(map.cookie(0)).isNull();
            map.set(1, a);
            hash.set(77L, b);
            assertThat(map.cookie(1)).isEqualTo(cookie(sys, a));
            assertThat(hash.cookie(77L)).isEqualTo(cookie(sys, b));
            assertThat(map.keys()).containsExactly(1);
            assertThat(hash.keys()).containsExactly(77L);
            assertThat(hash.remove(77L)).isTrue();
            assertThat(hash.cookie(77L)).isNull();
            assertThatThrownBy(() -> map.set(0, 0)).as("stdin is no socket").isInstanceOf(BpfException.class);
            assertThatThrownBy(() -> map.set(4, a)).isInstanceOfSatisfying(BpfException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.E2BIG));
        } finally {
            sys.close(a);
            sys.close(b);
        }
    }
}
