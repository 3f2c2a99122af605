package io.jbpf.core.internal.sys;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.Errno;
import io.jbpf.core.map.MapType;
import io.jbpf.core.testing.KernelTest;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@KernelTest
class SyscallsTest {

    static java.util.List<Syscalls> backends() {
        return Sys.available();
    }

    @Test
    void theExpectedBackendIsChosenForThisJdk() {
        String expected = System.getProperty("jbpf.expect.backend");
        if (expected != null) {
            assertThat(Sys.get().name()).isEqualTo(expected);
        }
        if (Runtime.version().feature() >= 22 && "ffm".equals(expected)) {
            assertThat(Sys.available()).extracting(Syscalls::name).containsExactly("ffm", "jna");
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void bpfReportsErrnoForAnUnknownCommand(Syscalls sys) {
        NativeBuffer attr = NativeBuffer.allocate(64);
        long r = sys.bpf(9999, attr.address(), 64);
        assertThat(r).isEqualTo(-Errno.EINVAL.number());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void createsAnArrayMapAndReadsItsZeroedValue(Syscalls sys) {
        NativeBuffer attr = NativeBuffer.allocate(BpfAttr.MapCreate.SIZE);
        ByteBuffer b = attr.buffer();
        b.putInt(BpfAttr.MapCreate.MAP_TYPE, MapType.ARRAY.number());
        b.putInt(BpfAttr.MapCreate.KEY_SIZE, 4);
        b.putInt(BpfAttr.MapCreate.VALUE_SIZE, 8);
        b.putInt(BpfAttr.MapCreate.MAX_ENTRIES, 4);
        long fd = sys.bpf(BpfCommand.MAP_CREATE.number(), attr.address(), BpfAttr.MapCreate.SIZE);
        assertThat(fd).isGreaterThan(2);
        try {
            NativeBuffer key = NativeBuffer.allocate(4);
            NativeBuffer value = NativeBuffer.allocate(8);
            value.buffer().putLong(0, -1);
            NativeBuffer elem = NativeBuffer.allocate(BpfAttr.MapElem.SIZE);
            elem.buffer().putInt(BpfAttr.MapElem.MAP_FD, (int) fd);
            elem.buffer().putLong(BpfAttr.MapElem.KEY, key.address());
            elem.buffer().putLong(BpfAttr.MapElem.VALUE, value.address());
            assertThat(sys.bpf(BpfCommand.MAP_LOOKUP_ELEM.number(), elem.address(), BpfAttr.MapElem.SIZE)).isZero();
            assertThat(value.buffer().getLong(0)).isZero();
            key.buffer().putInt(0, 4); // out of range
            assertThat(sys.bpf(BpfCommand.MAP_LOOKUP_ELEM.number(), elem.address(), BpfAttr.MapElem.SIZE))
                    .isEqualTo(-Errno.ENOENT.number());
        } finally {
            assertThat(sys.close((int) fd)).isZero();
        }
        assertThat(sys.close((int) fd)).isEqualTo(-Errno.EBADF.number());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void addressOfADirectBufferIsWhereItsBytesAre(Syscalls sys) {
        ByteBuffer b = ByteBuffer.allocateDirect(16);
        long a = sys.address(b);
        b.position(4);
        assertThat(sys.address(b)).isEqualTo(a);
        // pipe the bytes through the kernel: a socketpair would do, but a map write/read is the real use
        assertThat(a).isNotZero();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void plainLibcCallsWork(Syscalls sys) {
        assertThat(sys.getpid()).isEqualTo((int) ProcessHandle.current().pid());
        assertThat(sys.ifNameToIndex("lo")).isEqualTo(1);
        assertThat(sys.ifNameToIndex("jbpf-no-such-if")).isZero();
        assertThat(sys.open("/jbpf/no/such/file", 0, 0)).isEqualTo(-Errno.ENOENT.number());
        int s = sys.socket(1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0);
        assertThat(s).isPositive();
        assertThat(sys.close(s)).isZero();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void epollWaitsForAnEventfdAndTimesOutWithoutOne(Syscalls sys) {
        int efd = sys.eventfd(0, Epoll.EFD_CLOEXEC | Epoll.EFD_NONBLOCK);
        assertThat(efd).isPositive();
        int ep = sys.epollCreate1(Epoll.CLOEXEC);
        assertThat(ep).isPositive();
        try {
            NativeBuffer ev = NativeBuffer.allocate(Epoll.EVENT_SIZE * 4);
            ev.buffer().putInt(Epoll.EVENT_EVENTS, Epoll.IN);
            ev.buffer().putLong(Epoll.EVENT_DATA, 0x1234_5678_9abcL);
            assertThat(sys.epollCtl(ep, Epoll.CTL_ADD, efd, ev.address())).isZero();
            assertThat(sys.epollCtl(ep, Epoll.CTL_ADD, efd, ev.address())).isEqualTo(-Errno.EEXIST.number());
            ev.clear(Epoll.EVENT_SIZE * 4);
            assertThat(sys.epollWait(ep, ev.address(), 4, 10)).isZero();

            NativeBuffer one = NativeBuffer.allocate(8);
            one.buffer().putLong(0, 3);
            assertThat(sys.write(efd, one.address(), 8)).isEqualTo(8);
            assertThat(sys.epollWait(ep, ev.address(), 4, 1000)).isEqualTo(1);
            assertThat(ev.buffer().getInt(Epoll.EVENT_EVENTS) & Epoll.IN).isEqualTo(Epoll.IN);
            assertThat(ev.buffer().getLong(Epoll.EVENT_DATA)).isEqualTo(0x1234_5678_9abcL);

            NativeBuffer got = NativeBuffer.allocate(8);
            assertThat(sys.read(efd, got.address(), 8)).isEqualTo(8);
            assertThat(got.buffer().getLong(0)).isEqualTo(3);
            assertThat(sys.read(efd, got.address(), 8)).isEqualTo(-Errno.EAGAIN.number());
        } finally {
            assertThat(sys.close(ep)).isZero();
            assertThat(sys.close(efd)).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void viewSeesMmappedMemoryWithoutCopying(Syscalls sys) {
        int page = sys.pageSize();
        assertThat(Integer.bitCount(page)).isEqualTo(1);
        assertThat(page).isGreaterThanOrEqualTo(4096);
        // an anonymous shared mapping (MAP_ANONYMOUS = 0x20 on the architectures jbpf runs on)
        long addr = sys.mmap(0, page, Epoll.PROT_READ | Epoll.PROT_WRITE, Epoll.MAP_SHARED | 0x20, -1, 0);
        assertThat(addr).isPositive();
        try {
            ByteBuffer a = sys.view(addr, page);
            ByteBuffer b = sys.view(addr + 8, 8);
            assertThat(a.capacity()).isEqualTo(page);
            assertThat(a.isDirect()).isTrue();
            assertThat(sys.address(a)).isEqualTo(addr);
            a.putLong(8, 0x0102_0304_0506_0708L);
            assertThat(b.getLong(0)).isEqualTo(0x0102_0304_0506_0708L);
        } finally {
            assertThat(sys.munmap(addr, page)).isZero();
        }
    }
}
