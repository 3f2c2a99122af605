package io.jbpf.core.internal.sys;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import java.util.ArrayList;
import java.util.List;

/** Operations every bpf object shares: info by fd, pin, open pinned, enumerate ids. */
public final class ObjectInfo {
    private ObjectInfo() {}

    /**
     * {@code BPF_OBJ_GET_INFO_BY_FD} into {@code info}, which the caller zeroes or prepares (array
     * pointers and their counts set for the kernel to fill); returns the kernel's info length.
     */
    public static int infoByFd(Fd fd, NativeBuffer info, int size) {
        NativeBuffer a = Bpf.attr(BpfAttr.Info.SIZE);
        a.buffer().putInt(BpfAttr.Info.BPF_FD, fd.get());
        a.buffer().putInt(BpfAttr.Info.INFO_LEN, size);
        a.buffer().putLong(BpfAttr.Info.INFO, info.address());
        Bpf.call(BpfCommand.OBJ_GET_INFO_BY_FD, a, BpfAttr.Info.SIZE, "info of " + fd.what());
        return a.buffer().getInt(BpfAttr.Info.INFO_LEN);
    }

    /** Pins {@code fd} at {@code path} in bpffs. */
    public static void pin(Fd fd, String path) {
        Bpffs.checkPath(path);
        NativeBuffer p = NativeBuffer.cString(path);
        NativeBuffer a = Bpf.attr(BpfAttr.Obj.SIZE);
        a.buffer().putLong(BpfAttr.Obj.PATHNAME, p.address());
        a.buffer().putInt(BpfAttr.Obj.BPF_FD, fd.get());
        Bpf.call(BpfCommand.OBJ_PIN, a, BpfAttr.Obj.SIZE, "pin " + fd.what() + " at " + path);
    }

    /** Opens the object pinned at {@code path}; {@code kind} ("map", "program", "link") names it in messages. */
    public static Fd openPinned(String path, String kind) {
        Bpffs.checkPath(path);
        NativeBuffer p = NativeBuffer.cString(path);
        NativeBuffer a = Bpf.attr(BpfAttr.Obj.SIZE);
        a.buffer().putLong(BpfAttr.Obj.PATHNAME, p.address());
        return Bpf.callForFd(BpfCommand.OBJ_GET, a, BpfAttr.Obj.SIZE, kind + " pinned at " + path);
    }

    /** Every id the kernel has for {@code nextCmd} (PROG/MAP/LINK/BTF_GET_NEXT_ID), in order. */
    public static List<Integer> ids(BpfCommand nextCmd) {
        List<Integer> ids = new ArrayList<>();
        int start = 0;
        while (true) {
            NativeBuffer a = Bpf.attr(BpfAttr.GetId.SIZE);
            a.buffer().putInt(BpfAttr.GetId.START_ID, start);
            long r = Bpf.tryCall(nextCmd, a, BpfAttr.GetId.SIZE);
            if (r == -Errno.ENOENT.number()) {
                return ids;
            }
            if (r < 0) {
                throw new BpfException(nextCmd, Errno.of((int) -r), "list ids");
            }
            start = a.buffer().getInt(BpfAttr.GetId.NEXT_ID);
            ids.add(start);
        }
    }

    /** Opens the object with {@code id} through {@code cmd} (PROG/MAP/LINK/BTF_GET_FD_BY_ID). */
    public static Fd byId(BpfCommand cmd, int id, String what) {
        NativeBuffer a = Bpf.attr(BpfAttr.GetId.SIZE);
        a.buffer().putInt(BpfAttr.GetId.ID, id);
        return Bpf.callForFd(cmd, a, BpfAttr.GetId.SIZE, what);
    }
}
