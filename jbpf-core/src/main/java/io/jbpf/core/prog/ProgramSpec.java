package io.jbpf.core.prog;

import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InsnCodec;
import io.jbpf.core.insn.InvalidInstructionException;
import io.jbpf.core.insn.MapReference;
import io.jbpf.core.insn.MapReferences;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What program to load: a plain value (no fds), comparable, built with {@link #builder}.
 * {@link Program#load} turns it into a live program.
 */
public final class ProgramSpec {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.]{0,15}");

    private final String name;
    private final ProgramType type;
    private final List<Insn> instructions;
    private final String license;
    private final AttachType expectedAttachType;
    private final int flags;
    private final int ifindex;
    private final int attachBtfId;
    private final int structOpsMember;
    private final ProgramBtf btf;

    private ProgramSpec(Builder b) {
        this.name = b.name;
        this.type = b.type;
        this.instructions = b.instructions;
        this.license = b.license;
        this.expectedAttachType = b.expectedAttachType;
        this.flags = b.flags;
        this.ifindex = b.ifindex;
        this.attachBtfId = b.attachBtfId;
        this.structOpsMember = b.structOpsMember;
        this.btf = b.btf;
    }

    /** A builder for a program of {@code type}. */
    public static Builder builder(String name, ProgramType type) {
        return new Builder(name, type);
    }

    /** The program's name: at most 15 characters of {@code [A-Za-z0-9_.]}. */
    public String name() {
        return name;
    }

    public ProgramType type() {
        return type;
    }

    /** The instructions; map references may still be symbolic (see {@link #mapReferences()}). */
    public List<Insn> instructions() {
        return instructions;
    }

    /** The symbolic map references that loading must resolve, in program order. */
    public List<MapReference> mapReferences() {
        return MapReferences.list(instructions);
    }

    /**
     * The instructions encoded in host byte order.
     *
     * @throws io.jbpf.core.insn.InvalidInstructionException when a map reference is still symbolic
     */
    public byte[] code() {
        return InsnCodec.encode(instructions, ByteOrder.nativeOrder());
    }

    /** The number of 8-byte instruction slots. */
    public int instructionCount() {
        return InsnCodec.slotCount(instructions);
    }

    public String license() {
        return license;
    }

    public Optional<AttachType> expectedAttachType() {
        return Optional.ofNullable(expectedAttachType);
    }

    /** {@code BPF_F_*} load flags. */
    public int flags() {
        return flags;
    }

    /** The device to offload to, 0 for none. */
    public int ifindex() {
        return ifindex;
    }

    /** The kernel BTF type id to attach to (fentry, LSM, ...), 0 for none. */
    public int attachBtfId() {
        return attachBtfId;
    }

    /**
     * For a {@link ProgramType#STRUCT_OPS} program: the index of the member of the kernel struct
     * ({@link #attachBtfId()}) that it implements, which the kernel takes as the expected attach
     * type; -1 otherwise.
     */
    public int structOpsMember() {
        return structOpsMember;
    }

    /** BTF with func and line info for this program, if any. */
    public Optional<ProgramBtf> btf() {
        return Optional.ofNullable(btf);
    }

    /** A builder holding this spec's values. */
    public Builder toBuilder() {
        Builder b = new Builder(name, type);
        b.instructions = instructions;
        b.license = license;
        b.expectedAttachType = expectedAttachType;
        b.flags = flags;
        b.ifindex = ifindex;
        b.attachBtfId = attachBtfId;
        b.structOpsMember = structOpsMember;
        b.btf = btf;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProgramSpec s && name.equals(s.name) && type == s.type && instructions.equals(s.instructions)
                && license.equals(s.license) && expectedAttachType == s.expectedAttachType && flags == s.flags
                && ifindex == s.ifindex && attachBtfId == s.attachBtfId && structOpsMember == s.structOpsMember
                && Objects.equals(btf, s.btf);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, instructions, license, expectedAttachType, flags, ifindex, attachBtfId,
                structOpsMember, btf);
    }

    @Override
    public String toString() {
        return "ProgramSpec[" + name + ", " + type + ", " + instructionCount() + " insns, " + license
                + (expectedAttachType == null ? "" : ", " + expectedAttachType) + "]";
    }

    /** Builds a {@link ProgramSpec}. */
    public static final class Builder {
        private final String name;
        private final ProgramType type;
        private List<Insn> instructions = List.of();
        private String license = "GPL";
        private AttachType expectedAttachType;
        private int flags;
        private int ifindex;
        private int attachBtfId;
        private int structOpsMember = -1;
        private ProgramBtf btf;

        private Builder(String name, ProgramType type) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("program name '" + name
                        + "' must be at most 15 characters of letters, digits, '_' and '.'");
            }
        }

        /** The instructions, e.g. from {@link io.jbpf.core.asm.Assembler#build()} or the text parser. */
        public Builder instructions(List<? extends Insn> insns) {
            this.instructions = List.copyOf(insns);
            return this;
        }

        /**
         * The instructions as bytes in host byte order, a multiple of 8 bytes. Words that are no
         * valid instruction are kept as {@link io.jbpf.core.insn.RawInsn}: the kernel judges them.
         */
        public Builder code(byte[] bytes) {
            if (bytes.length % 8 != 0) {
                throw new IllegalArgumentException("program '" + name + "': " + bytes.length
                        + " bytes is not a whole number of 8-byte instructions");
            }
            List<? extends Insn> decoded;
            try {
                decoded = InsnCodec.decode(bytes, ByteOrder.nativeOrder());
            } catch (InvalidInstructionException e) {
                decoded = InsnCodec.decodeRaw(bytes, ByteOrder.nativeOrder());
            }
            this.instructions = List.copyOf(decoded);
            return this;
        }

        /** The license; GPL-only helpers need a GPL-compatible one. Default {@code GPL}. */
        public Builder license(String newLicense) {
            this.license = Objects.requireNonNull(newLicense, "license");
            return this;
        }

        public Builder expectedAttachType(AttachType attachType) {
            this.expectedAttachType = attachType;
            return this;
        }

        public Builder flags(int newFlags) {
            this.flags = newFlags;
            return this;
        }

        public Builder ifindex(int newIfindex) {
            this.ifindex = newIfindex;
            return this;
        }

        public Builder attachBtfId(int id) {
            this.attachBtfId = id;
            return this;
        }

        /**
         * A {@link ProgramType#STRUCT_OPS} program implementing member {@code index} of the kernel
         * struct whose vmlinux BTF id is {@code structTypeId} (e.g. {@code tcp_congestion_ops} and
         * the index of its {@code cong_avoid}).
         */
        public Builder structOpsMember(int structTypeId, int index) {
            if (type != ProgramType.STRUCT_OPS || index < 0) {
                throw new IllegalArgumentException("program '" + name + "': only a STRUCT_OPS program implements a"
                        + " struct member (a " + type + " program, member index " + index + ")");
            }
            this.attachBtfId = structTypeId;
            this.structOpsMember = index;
            return this;
        }

        /** BTF with func and line info; the verifier then quotes source lines in its log. */
        public Builder btf(ProgramBtf programBtf) {
            this.btf = programBtf;
            return this;
        }

        public ProgramSpec build() {
            if (instructions.isEmpty()) {
                throw new IllegalArgumentException("program '" + name + "' has no instructions");
            }
            return new ProgramSpec(this);
        }
    }
}
