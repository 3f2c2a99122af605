package io.jbpf.core.prog;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.InfoLayout;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.ObjectInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What the kernel reports about a loaded program ({@code struct bpf_prog_info}).
 *
 * @param id                    the kernel's id
 * @param type                  program type
 * @param name                  name (at most 15 characters)
 * @param tag                   the kernel's tag, 16 hex digits, as bpftool prints it
 * @param translatedInstructions instruction slots after the kernel's rewrites ("xlated")
 * @param jitedBytes            size of the JIT image in bytes (0 without the JIT)
 * @param verifiedInstructions  instructions the verifier processed
 * @param loadTimeNs            boot-time nanoseconds when loaded
 * @param uid                   the user that loaded it
 * @param mapIds                ids of the maps it uses
 * @param btfId                 id of its BTF, 0 for none
 * @param runTimeNs             total run time (when stats are enabled)
 * @param runCount              runs (when stats are enabled)
 * @param gplCompatible         whether its license is GPL-compatible
 */
public record ProgramInfo(int id, ProgramType type, String name, String tag, int translatedInstructions,
        int jitedBytes, int verifiedInstructions, long loadTimeNs, int uid, List<Integer> mapIds, int btfId,
        long runTimeNs, long runCount, boolean gplCompatible) {

    static ProgramInfo of(Fd fd) {
        NativeBuffer n = NativeBuffer.allocate(InfoLayout.Prog.SIZE);
        ObjectInfo.infoByFd(fd, n, InfoLayout.Prog.SIZE);
        ByteBuffer b = n.buffer();
        int nrMaps = b.getInt(InfoLayout.Prog.NR_MAP_IDS);
        List<Integer> mapIds = new ArrayList<>();
        if (nrMaps > 0) {
            NativeBuffer ids = NativeBuffer.allocate(nrMaps * 4);
            NativeBuffer n2 = NativeBuffer.allocate(InfoLayout.Prog.SIZE);
            n2.buffer().putInt(InfoLayout.Prog.NR_MAP_IDS, nrMaps);
            n2.buffer().putLong(InfoLayout.Prog.MAP_IDS, ids.address());
            ObjectInfo.infoByFd(fd, n2, InfoLayout.Prog.SIZE);
            int got = Math.min(nrMaps, n2.buffer().getInt(InfoLayout.Prog.NR_MAP_IDS));
            for (int i = 0; i < got; i++) {
                mapIds.add(ids.buffer().getInt(i * 4));
            }
        }
        byte[] tag = new byte[8];
        b.get(InfoLayout.Prog.TAG, tag);
        return new ProgramInfo(b.getInt(InfoLayout.Prog.ID), ProgramType.of(b.getInt(InfoLayout.Prog.TYPE)),
                n.cStringAt(InfoLayout.Prog.NAME, 16), HexFormat.of().formatHex(tag),
                b.getInt(InfoLayout.Prog.XLATED_PROG_LEN) / 8, b.getInt(InfoLayout.Prog.JITED_PROG_LEN),
                b.getInt(InfoLayout.Prog.VERIFIED_INSNS), b.getLong(InfoLayout.Prog.LOAD_TIME),
                b.getInt(InfoLayout.Prog.CREATED_BY_UID), List.copyOf(mapIds), b.getInt(InfoLayout.Prog.BTF_ID),
                b.getLong(InfoLayout.Prog.RUN_TIME_NS), b.getLong(InfoLayout.Prog.RUN_CNT),
                (b.getInt(InfoLayout.Prog.GPL_COMPATIBLE) & 1) != 0);
    }

    static byte[] translatedCode(Fd fd) {
        NativeBuffer n = NativeBuffer.allocate(InfoLayout.Prog.SIZE);
        ObjectInfo.infoByFd(fd, n, InfoLayout.Prog.SIZE);
        int len = n.buffer().getInt(InfoLayout.Prog.XLATED_PROG_LEN);
        NativeBuffer code = NativeBuffer.allocate(len);
        NativeBuffer n2 = NativeBuffer.allocate(InfoLayout.Prog.SIZE);
        n2.buffer().putInt(InfoLayout.Prog.XLATED_PROG_LEN, len);
        n2.buffer().putLong(InfoLayout.Prog.XLATED_PROG_INSNS, code.address());
        ObjectInfo.infoByFd(fd, n2, InfoLayout.Prog.SIZE);
        return code.toArray(Math.min(len, n2.buffer().getInt(InfoLayout.Prog.XLATED_PROG_LEN)));
    }

    /** The info of the program with kernel id {@code id}. */
    public static ProgramInfo ofId(int id) {
        try (Fd fd = ObjectInfo.byId(BpfCommand.PROG_GET_FD_BY_ID, id, "program id " + id)) {
            return of(fd);
        }
    }

    /** The translated instructions of the program with kernel id {@code id}, in host byte order. */
    public static byte[] translatedCodeOfId(int id) {
        try (Fd fd = ObjectInfo.byId(BpfCommand.PROG_GET_FD_BY_ID, id, "program id " + id)) {
            return translatedCode(fd);
        }
    }

    /** When the program was loaded, as wall-clock time (the kernel counts from boot). */
    public java.time.Instant loadedAt() {
        return io.jbpf.core.internal.sys.Clocks.bootTimeToInstant(loadTimeNs);
    }

    /** The ids of every program loaded in the kernel. */
    public static List<Integer> ids() {
        return ObjectInfo.ids(BpfCommand.PROG_GET_NEXT_ID);
    }
}
