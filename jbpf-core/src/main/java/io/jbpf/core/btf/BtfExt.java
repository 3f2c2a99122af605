package io.jbpf.core.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsed {@code .BTF.ext}: per program section, the func info (which BTF function starts at which
 * instruction), line info (which source line each instruction came from) and CO-RE relocation
 * records. Instruction offsets are in bytes from the start of the section, as clang writes them;
 * names and source lines are resolved through the object's {@link Btf}. Parsing only.
 */
public final class BtfExt {

    /** A function starting at byte {@code insnOffset}. */
    public record FuncInfo(int insnOffset, int typeId) {
    }

    /** The source of the instruction at byte {@code insnOffset}. */
    public record LineInfo(int insnOffset, String file, String line, int lineNumber, int column) {
    }

    /** A CO-RE relocation of the instruction at byte {@code insnOffset}. */
    public record CoreRelo(int insnOffset, int typeId, String accessString, int kind) {
    }

    private final Map<String, List<FuncInfo>> funcInfo;
    private final Map<String, List<LineInfo>> lineInfo;
    private final Map<String, List<CoreRelo>> coreRelos;

    private BtfExt(Map<String, List<FuncInfo>> funcInfo, Map<String, List<LineInfo>> lineInfo,
            Map<String, List<CoreRelo>> coreRelos) {
        this.funcInfo = funcInfo;
        this.lineInfo = lineInfo;
        this.coreRelos = coreRelos;
    }

    /** Parses {@code raw} .BTF.ext whose strings live in {@code btf}. */
    public static BtfExt parse(byte[] raw, Btf btf) {
        if (raw.length < 24) {
            throw new BtfException(".BTF.ext is " + raw.length + " bytes, shorter than its header");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if ((b.getShort(0) & 0xffff) != 0xeb9f) {
            b.order(ByteOrder.BIG_ENDIAN);
            if ((b.getShort(0) & 0xffff) != 0xeb9f) {
                throw new BtfException("not .BTF.ext: bad magic");
            }
        }
        int hdr = b.getInt(4);
        if (hdr < 24 || hdr > raw.length) {
            throw new BtfException(".BTF.ext header length " + hdr + " is out of range");
        }
        Map<String, List<FuncInfo>> funcs = new LinkedHashMap<>();
        Map<String, List<LineInfo>> lines = new LinkedHashMap<>();
        Map<String, List<CoreRelo>> relos = new LinkedHashMap<>();
        records(b, hdr, b.getInt(8), b.getInt(12), 8, "func info", btf, (sec, at) ->
                funcs.computeIfAbsent(sec, k -> new ArrayList<>()).add(new FuncInfo(b.getInt(at), b.getInt(at + 4))));
        records(b, hdr, b.getInt(16), b.getInt(20), 16, "line info", btf, (sec, at) -> {
            int lineCol = b.getInt(at + 12);
            lines.computeIfAbsent(sec, k -> new ArrayList<>()).add(new LineInfo(b.getInt(at),
                    btf.string(b.getInt(at + 4) & 0xffffffffL), btf.string(b.getInt(at + 8) & 0xffffffffL),
                    lineCol >>> 10, lineCol & 0x3ff));
        });
        if (hdr >= 32) {
            records(b, hdr, b.getInt(24), b.getInt(28), 16, "CO-RE relocation", btf, (sec, at) ->
                    relos.computeIfAbsent(sec, k -> new ArrayList<>()).add(new CoreRelo(b.getInt(at), b.getInt(at + 4),
                            btf.string(b.getInt(at + 8) & 0xffffffffL), b.getInt(at + 12))));
        }
        return new BtfExt(Collections.unmodifiableMap(funcs), Collections.unmodifiableMap(lines),
                Collections.unmodifiableMap(relos));
    }

    private interface RecordSink {
        void accept(String section, int at);
    }

    /** Walks one info block: a record size, then per section its name, count and records. */
    private static void records(ByteBuffer b, int hdr, int off, int len, int minRecord, String what, Btf btf,
            RecordSink sink) {
        if (len == 0) {
            return;
        }
        long start = (long) hdr + off;
        long end = start + (len & 0xffffffffL);
        if (off < 0 || len < 4 || end > b.capacity()) {
            throw new BtfException(".BTF.ext " + what + " (offset " + off + ", " + len + " bytes) runs past the end");
        }
        int recSize = b.getInt((int) start);
        if (recSize < minRecord) {
            throw new BtfException(".BTF.ext " + what + " records are " + recSize + " bytes, fewer than " + minRecord);
        }
        long at = start + 4;
        while (at < end) {
            if (at + 8 > end) {
                throw new BtfException(".BTF.ext " + what + " section header at " + at + " is truncated");
            }
            String section = btf.string(b.getInt((int) at) & 0xffffffffL);
            long count = b.getInt((int) at + 4) & 0xffffffffL;
            at += 8;
            if (at + count * recSize > end) {
                throw new BtfException(".BTF.ext " + what + " of section '" + section + "' has " + count
                        + " records, more than fit");
            }
            for (long i = 0; i < count; i++) {
                sink.accept(section, (int) at);
                at += recSize;
            }
        }
    }

    /** Func info of program section {@code section}. */
    public List<FuncInfo> funcInfo(String section) {
        return funcInfo.getOrDefault(section, List.of());
    }

    /** Line info of program section {@code section}. */
    public List<LineInfo> lineInfo(String section) {
        return lineInfo.getOrDefault(section, List.of());
    }

    /** CO-RE relocations of program section {@code section}. */
    public List<CoreRelo> coreRelos(String section) {
        return coreRelos.getOrDefault(section, List.of());
    }
}
