package io.jbpf.core.internal.sys;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;

/** {@code BPF_BTF_LOAD}: raw BTF into the kernel, with the kernel's log on failure; and reading it back by id. */
public final class BtfLoad {
    private BtfLoad() {}

    /** Loads {@code raw} BTF and owns the fd; a refusal throws with the kernel's BTF log in the message. */
    public static Fd load(byte[] raw, String what) {
        NativeBuffer data = NativeBuffer.of(raw);
        NativeBuffer log = NativeBuffer.allocate(64 * 1024);
        NativeBuffer a = Bpf.attr(BpfAttr.BtfLoad.SIZE);
        a.buffer().putLong(BpfAttr.BtfLoad.BTF, data.address());
        a.buffer().putInt(BpfAttr.BtfLoad.BTF_SIZE, raw.length);
        long r = Bpf.tryCall(BpfCommand.BTF_LOAD, a, BpfAttr.BtfLoad.SIZE);
        if (r >= 0) {
            return Fd.own((int) r, what);
        }
        // again with a log, to say why
        a = Bpf.attr(BpfAttr.BtfLoad.SIZE);
        a.buffer().putLong(BpfAttr.BtfLoad.BTF, data.address());
        a.buffer().putInt(BpfAttr.BtfLoad.BTF_SIZE, raw.length);
        a.buffer().putLong(BpfAttr.BtfLoad.BTF_LOG_BUF, log.address());
        a.buffer().putInt(BpfAttr.BtfLoad.BTF_LOG_SIZE, log.size());
        a.buffer().putInt(BpfAttr.BtfLoad.BTF_LOG_LEVEL, 1);
        long again = Bpf.tryCall(BpfCommand.BTF_LOAD, a, BpfAttr.BtfLoad.SIZE);
        if (again >= 0) {
            return Fd.own((int) again, what);
        }
        String text = log.cStringAt(0, log.size()).strip();
        throw new BpfException(BpfCommand.BTF_LOAD, Errno.of((int) -again), what + (text.isEmpty() ? "" : ":\n" + text));
    }

    /** The raw bytes of the BTF object with kernel id {@code id} (as a map's or program's info names it). */
    public static byte[] rawById(int id) {
        try (Fd fd = ObjectInfo.byId(BpfCommand.BTF_GET_FD_BY_ID, id, "BTF id " + id)) {
            NativeBuffer info = NativeBuffer.allocate(32);
            ObjectInfo.infoByFd(fd, info, 32);
            int size = info.buffer().getInt(8);
            NativeBuffer data = NativeBuffer.allocate(size);
            NativeBuffer again = NativeBuffer.allocate(32);
            again.buffer().putLong(0, data.address());
            again.buffer().putInt(8, size);
            ObjectInfo.infoByFd(fd, again, 32);
            return data.toArray(Math.min(size, again.buffer().getInt(8)));
        }
    }
}
