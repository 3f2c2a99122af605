package io.jbpf.core.prog;

import java.util.Arrays;
import java.util.Objects;

/**
 * BTF that describes a program: the raw {@code .BTF} blob and the program's {@code bpf_func_info}
 * and {@code bpf_line_info} records (as in {@code .BTF.ext}, instruction offsets in instructions).
 * With line info, the verifier's log quotes the source line of each instruction.
 *
 * @param btf                 raw BTF, host byte order
 * @param funcInfo            func info records, {@code funcInfoRecordSize} bytes each (may be empty)
 * @param funcInfoRecordSize  size of one func info record (8 today)
 * @param lineInfo            line info records, {@code lineInfoRecordSize} bytes each (may be empty)
 * @param lineInfoRecordSize  size of one line info record (16 today)
 */
public record ProgramBtf(byte[] btf, byte[] funcInfo, int funcInfoRecordSize, byte[] lineInfo,
        int lineInfoRecordSize) {

    public ProgramBtf {
        Objects.requireNonNull(btf, "btf");
        Objects.requireNonNull(funcInfo, "funcInfo");
        Objects.requireNonNull(lineInfo, "lineInfo");
        if (funcInfo.length > 0 && (funcInfoRecordSize <= 0 || funcInfo.length % funcInfoRecordSize != 0)) {
            throw new IllegalArgumentException("func info of " + funcInfo.length
                    + " bytes is not a whole number of " + funcInfoRecordSize + "-byte records");
        }
        if (lineInfo.length > 0 && (lineInfoRecordSize <= 0 || lineInfo.length % lineInfoRecordSize != 0)) {
            throw new IllegalArgumentException("line info of " + lineInfo.length
                    + " bytes is not a whole number of " + lineInfoRecordSize + "-byte records");
        }
        btf = btf.clone();
        funcInfo = funcInfo.clone();
        lineInfo = lineInfo.clone();
    }

    @Override
    public byte[] btf() {
        return btf.clone();
    }

    @Override
    public byte[] funcInfo() {
        return funcInfo.clone();
    }

    @Override
    public byte[] lineInfo() {
        return lineInfo.clone();
    }

    int funcInfoCount() {
        return funcInfo.length == 0 ? 0 : funcInfo.length / funcInfoRecordSize;
    }

    int lineInfoCount() {
        return lineInfo.length == 0 ? 0 : lineInfo.length / lineInfoRecordSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProgramBtf b && Arrays.equals(btf, b.btf) && Arrays.equals(funcInfo, b.funcInfo)
                && funcInfoRecordSize == b.funcInfoRecordSize && Arrays.equals(lineInfo, b.lineInfo)
                && lineInfoRecordSize == b.lineInfoRecordSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(btf), Arrays.hashCode(funcInfo), funcInfoRecordSize,
                Arrays.hashCode(lineInfo), lineInfoRecordSize);
    }

    @Override
    public String toString() {
        return "ProgramBtf[" + btf.length + " bytes of BTF, " + funcInfoCount() + " func info, " + lineInfoCount()
                + " line info]";
    }
}
