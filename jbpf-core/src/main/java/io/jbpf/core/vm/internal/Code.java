package io.jbpf.core.vm.internal;

import io.jbpf.core.vm.IllegalInstructionException;

/**
 * A program's instructions decoded into parallel arrays, one entry per 8-byte slot, and checked
 * once so that the engines can trust them: every opcode is one the VM executes, every jump and
 * local call lands on an instruction inside the program (never the second half of a 64-bit load).
 */
public final class Code {
    public final int[] op;
    public final int[] dst;
    public final int[] src;
    public final int[] off;
    public final int[] imm;
    /** For the first slot of a 64-bit load: the whole 64-bit immediate. */
    public final long[] imm64;
    public final int length;

    private Code(int n) {
        op = new int[n];
        dst = new int[n];
        src = new int[n];
        off = new int[n];
        imm = new int[n];
        imm64 = new long[n];
        length = n;
    }

    /** Decodes little-endian instruction bytes and checks them. */
    public static Code decode(byte[] bytes) {
        if (bytes.length == 0 || bytes.length % 8 != 0) {
            throw new IllegalInstructionException(-1, "program of " + bytes.length
                    + " bytes: must be a non-empty multiple of 8 bytes");
        }
        int n = bytes.length / 8;
        Code c = new Code(n);
        for (int i = 0; i < n; i++) {
            int at = i * 8;
            c.op[i] = bytes[at] & 0xff;
            c.dst[i] = bytes[at + 1] & 0x0f;
            c.src[i] = (bytes[at + 1] >> 4) & 0x0f;
            c.off[i] = (short) ((bytes[at + 2] & 0xff) | (bytes[at + 3] << 8));
            c.imm[i] = (bytes[at + 4] & 0xff) | (bytes[at + 5] & 0xff) << 8 | (bytes[at + 6] & 0xff) << 16
                    | (bytes[at + 7] & 0xff) << 24;
        }
        c.check();
        return c;
    }

    private void check() {
        boolean[] second = new boolean[length];
        for (int pc = 0; pc < length; pc++) {
            if (op[pc] == 0x18) {
                if (pc + 1 >= length || op[pc + 1] != 0 || dst[pc + 1] != 0 || src[pc + 1] != 0 || off[pc + 1] != 0) {
                    throw new IllegalInstructionException(pc, "incomplete 64-bit load (lddw needs a second slot of zeros and the upper immediate)");
                }
                imm64[pc] = (imm[pc] & 0xffffffffL) | ((long) imm[pc + 1] << 32);
                second[pc + 1] = true;
                pc++;
            }
        }
        for (int pc = 0; pc < length; pc++) {
            if (second[pc]) {
                continue;
            }
            checkOne(pc);
            int target = target(pc);
            if (target != Integer.MIN_VALUE && (target < 0 || target >= length || second[target])) {
                throw new IllegalInstructionException(pc, "jump to " + target + " lands "
                        + (target < 0 || target >= length ? "outside the program of " + length + " instructions"
                                : "in the middle of a 64-bit load"));
            }
        }
        int last = second[length - 1] ? length - 2 : length - 1;
        if (op[last] != 0x95 && op[last] != 0x05 && op[last] != 0x06) {
            bad(last, "the last instruction is neither an exit nor a jump: the program could run off its end");
        }
    }

    /** The slot a jump or local call goes to, or {@link Integer#MIN_VALUE}. */
    public int target(int pc) {
        int o = op[pc];
        int cls = o & 7;
        if (cls != 5 && cls != 6) {
            return Integer.MIN_VALUE;
        }
        int code = o & 0xf0;
        if (o == 0x06) {
            return pc + 1 + imm[pc];
        }
        if (o == 0x85) {
            return src[pc] == 1 ? pc + 1 + imm[pc] : Integer.MIN_VALUE;
        }
        if (code == 0x80 || code == 0x90) {
            return Integer.MIN_VALUE;
        }
        return pc + 1 + off[pc];
    }

    private void checkOne(int pc) {
        int o = op[pc];
        int cls = o & 7;
        switch (cls) {
            case 0x04:
            case 0x07:
                checkAlu(pc, o, cls == 0x07);
                break;
            case 0x05:
            case 0x06:
                checkJump(pc, o, cls == 0x05);
                break;
            case 0x00:
                if (o != 0x18 && o != 0x20 && o != 0x28 && o != 0x30 && o != 0x40 && o != 0x48 && o != 0x50) {
                    bad(pc, "unknown load opcode");
                }
                if (o == 0x18 && src[pc] > 6) {
                    bad(pc, "unknown 64-bit load source " + src[pc]);
                }
                break;
            case 0x01:
                if (o != 0x61 && o != 0x69 && o != 0x71 && o != 0x79 && o != 0x81 && o != 0x89 && o != 0x91) {
                    bad(pc, "unknown load-from-register opcode");
                }
                break;
            case 0x02:
                if (o != 0x62 && o != 0x6a && o != 0x72 && o != 0x7a) {
                    bad(pc, "unknown store-immediate opcode");
                }
                break;
            default:
                checkStx(pc, o);
                break;
        }
        if (dst[pc] > 10 || src[pc] > 10 && !(o == 0x18 || o == 0x85)) {
            bad(pc, "register number out of range (dst r" + dst[pc] + ", src r" + src[pc] + ")");
        }
    }

    private void checkStx(int pc, int o) {
        if (o == 0x63 || o == 0x6b || o == 0x73 || o == 0x7b) {
            return;
        }
        if ((o & 0xe0) != 0xc0) {
            bad(pc, "unknown store opcode");
        }
        int i = imm[pc];
        boolean acqRel = i == 0x100 || i == 0x110;
        boolean wordOrDouble = o == 0xc3 || o == 0xdb;
        if (acqRel ? !(wordOrDouble || o == 0xd3 || o == 0xcb) : !wordOrDouble) {
            bad(pc, "atomic operation 0x" + Integer.toHexString(i) + " of the wrong size");
        }
        switch (i) {
            case 0x00: case 0x01: case 0x40: case 0x41: case 0x50: case 0x51: case 0xa0: case 0xa1:
            case 0xe1: case 0xf1: case 0x100: case 0x110:
                break;
            default:
                bad(pc, "unknown atomic operation 0x" + Integer.toHexString(i));
        }
    }

    private void checkAlu(int pc, int o, boolean is64) {
        int code = o & 0xf0;
        boolean reg = (o & 0x08) != 0;
        switch (code) {
            case 0x80:
                if (reg) {
                    bad(pc, "neg takes no source register");
                }
                break;
            case 0xd0:
                if (is64 && reg) {
                    bad(pc, "unknown byte swap opcode");
                }
                if (imm[pc] != 16 && imm[pc] != 32 && imm[pc] != 64) {
                    bad(pc, "byte swap of " + imm[pc] + " bits (16, 32 or 64)");
                }
                break;
            case 0x30:
            case 0x90:
                if (off[pc] != 0 && off[pc] != 1) {
                    bad(pc, "division offset " + off[pc] + " (0 unsigned, 1 signed)");
                }
                break;
            case 0xb0:
                int f = off[pc];
                if (f != 0 && (!reg || !(f == 8 || f == 16 || (is64 && f == 32)))) {
                    bad(pc, "move with sign extension from " + f + " bits");
                }
                break;
            case 0xe0:
            case 0xf0:
                bad(pc, "unknown ALU opcode");
                break;
            default:
                break;
        }
    }

    private void checkJump(int pc, int o, boolean is64) {
        int code = o & 0xf0;
        switch (code) {
            case 0x00:
                if (o != 0x05 && o != 0x06) {
                    bad(pc, "unknown jump opcode");
                }
                break;
            case 0x80:
                if (!is64 || !(o == 0x85 || o == 0x8d)) {
                    bad(pc, "unknown call opcode");
                }
                if (o == 0x85 && src[pc] > 1) {
                    bad(pc, src[pc] == 2 ? "kfunc calls cannot run in the VM" : "unknown call kind " + src[pc]);
                }
                break;
            case 0x90:
                if (o != 0x95) {
                    bad(pc, "unknown exit opcode");
                }
                break;
            case 0xe0:
            case 0xf0:
                bad(pc, "unknown jump opcode");
                break;
            default:
                break;
        }
    }

    private static void bad(int pc, String what) {
        throw new IllegalInstructionException(pc, what);
    }
}
