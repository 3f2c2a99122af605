package io.jbpf.core.features;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.VerifierException;
import io.jbpf.core.internal.btf.BtfEnums;
import io.jbpf.core.internal.btf.ProbeBtf;
import io.jbpf.core.internal.sys.Bpf;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.BtfLoad;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Probes of what the running kernel supports: program types, map types, attach types and helpers
 * per program type. Each probe creates (and closes) the smallest object that shows the feature; its
 * answer is cached for the life of the process, since the kernel does not change under it.
 * {@code require…} methods throw {@link UnsupportedFeatureException} naming the feature and the
 * first kernel that has it. Probing needs the privileges of loading programs (root or CAP_BPF).
 */
public final class Features {
    private static final Map<Object, Support> CACHE = new ConcurrentHashMap<>();

    private Features() {}

    /** Whether the kernel can load programs of {@code type}. */
    public static Support programType(ProgramType type) {
        return CACHE.computeIfAbsent(type, t -> probeProgramType(type));
    }

    /** Whether the kernel can create maps of {@code type}. */
    public static Support mapType(MapType type) {
        return CACHE.computeIfAbsent(type, t -> probeMapType(type));
    }

    /** Whether the kernel knows attach type {@code type}. */
    public static Support attachType(AttachType type) {
        return CACHE.computeIfAbsent(type, t -> probeAttachType(type));
    }

    /** Whether programs of {@code type} may call helper number {@code helperId}. */
    public static Support helper(ProgramType type, int helperId) {
        return CACHE.computeIfAbsent(type.name() + "/helper/" + helperId, k -> probeHelper(type, helperId));
    }

    public static void requireProgramType(ProgramType type) {
        if (!programType(type).available()) {
            throw new UnsupportedFeatureException("program type " + type, type.since());
        }
    }

    public static void requireMapType(MapType type) {
        if (!mapType(type).available()) {
            throw new UnsupportedFeatureException("map type " + type, type.since());
        }
    }

    public static void requireAttachType(AttachType type) {
        if (!attachType(type).available()) {
            throw new UnsupportedFeatureException("attach type " + type, type.since());
        }
    }

    /** Requires helper {@code helperId} ({@code name} for the message) in programs of {@code type}. */
    public static void requireHelper(ProgramType type, int helperId, String name, String since) {
        if (!helper(type, helperId).available()) {
            throw new UnsupportedFeatureException("helper " + name + " in " + type + " programs", since);
        }
    }

    /**
     * Probes everything: each program, map and attach type, and each helper the kernel's BTF names
     * ({@code enum bpf_func_id}) for each program type the kernel has. Takes a second or so.
     */
    public static FeatureReport probeAll() {
        Map<ProgramType, Support> programs = new java.util.EnumMap<>(ProgramType.class);
        for (ProgramType t : ProgramType.values()) {
            if (t != ProgramType.UNSPEC) {
                programs.put(t, programType(t));
            }
        }
        Map<MapType, Support> maps = new java.util.EnumMap<>(MapType.class);
        for (MapType t : MapType.values()) {
            if (t != MapType.UNSPEC) {
                maps.put(t, mapType(t));
            }
        }
        Map<AttachType, Support> attach = new java.util.EnumMap<>(AttachType.class);
        for (AttachType t : AttachType.values()) {
            attach.put(t, attachType(t));
        }
        Map<Integer, String> helperNames = new java.util.TreeMap<>();
        KernelBtf.ENUMS.ifPresent(btf -> btf.values("bpf_func_id").forEach((name, id) -> {
            if (id > 0 && name.startsWith("BPF_FUNC_") && !name.equals("__BPF_FUNC_MAX_ID")) {
                helperNames.put(id.intValue(), name.substring("BPF_FUNC_".length()));
            }
        }));
        Map<ProgramType, java.util.List<String>> helpers = new java.util.EnumMap<>(ProgramType.class);
        programs.forEach((t, support) -> {
            if (support == Support.SUPPORTED) {
                java.util.List<String> names = new java.util.ArrayList<>();
                helperNames.forEach((id, name) -> {
                    if (helper(t, id) == Support.SUPPORTED) {
                        names.add(name);
                    }
                });
                helpers.put(t, java.util.List.copyOf(names));
            }
        });
        return new FeatureReport(kernelRelease(), programs, maps, attach, helpers);
    }

    /** The kernel's release string, e.g. {@code 6.18.0}. */
    public static String kernelRelease() {
        return System.getProperty("os.version");
    }

    private static final byte[] RETURN_0 = code(0xb7L, 0, 0x95L, 0);

    /** Two instructions, each given as opcode (with regs) and imm, in host order. */
    private static byte[] code(long op1, int imm1, long op2, int imm2) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        b.putInt((int) op1).putInt(imm1).putInt((int) op2).putInt(imm2);
        return b.array();
    }

    private static ProgramSpec.Builder probeSpec(ProgramType type, byte[] code) {
        ProgramSpec.Builder b = ProgramSpec.builder("jbpf_probe", type).code(code);
        switch (type) {
            case CGROUP_SOCK_ADDR -> b.expectedAttachType(AttachType.CGROUP_INET4_CONNECT);
            case CGROUP_SOCKOPT -> b.expectedAttachType(AttachType.CGROUP_GETSOCKOPT);
            case SK_LOOKUP -> b.expectedAttachType(AttachType.SK_LOOKUP);
            case NETFILTER -> b.expectedAttachType(AttachType.NETFILTER);
            case TRACING -> b.expectedAttachType(AttachType.TRACE_FENTRY).attachBtfId(1);
            case LSM -> b.expectedAttachType(AttachType.LSM_MAC).attachBtfId(1);
            case EXT -> b.attachBtfId(1);
            default -> { }
        }
        return b;
    }

    /**
     * Loads a probe program. A load, or a refusal that the verifier explains in its log, means the
     * type is known: an unknown type is refused before the verifier runs, with no log.
     */
    private static Support probeProgramType(ProgramType type) {
        if (type == ProgramType.UNSPEC) {
            return Support.UNSUPPORTED;
        }
        try (Program p = Program.load(probeSpec(type, RETURN_0).build())) {
            return Support.SUPPORTED;
        } catch (VerifierException e) {
            return Support.SUPPORTED;
        } catch (BpfException e) {
            if (type == ProgramType.STRUCT_OPS && e.errno() == Errno.ENOTSUPP) {
                return Support.SUPPORTED; // known, but only loadable with a kernel struct to implement
            }
            if (e.errno() == Errno.EINVAL || e.errno() == Errno.ENOTSUPP || e.errno() == Errno.EOPNOTSUPP
                    || refusedToRoot(e)) {
                return Support.UNSUPPORTED;
            }
            throw e;
        }
    }

    /**
     * EPERM although we are root: the kernel (lockdown, an LSM, a missing tracing back end) does
     * not allow this kind of program here at all. For other users EPERM is about privileges and
     * propagates.
     */
    private static boolean refusedToRoot(BpfException e) {
        return e.errno() == Errno.EPERM && Sys.get().geteuid() == 0;
    }

    /** Loads {@code call helperId; exit} and reads the verifier's verdict on the call. */
    private static Support probeHelper(ProgramType type, int helperId) {
        if (!programType(type).available()) {
            return Support.UNSUPPORTED;
        }
        byte[] callExit = code(0x85L, helperId, 0x95L, 0);
        try (Program p = Program.load(probeSpec(type, callExit).build(), 1)) {
            return Support.SUPPORTED;
        } catch (VerifierException e) {
            String log = e.log();
            if (log.contains("invalid func ") || log.contains("unknown func ")
                    || log.contains("program of this type cannot use helper ")) {
                return Support.UNSUPPORTED;
            }
            return Support.SUPPORTED; // the verifier looked at the call's arguments: the helper exists
        } catch (BpfException e) {
            if (e.errno() == Errno.EPERM && !refusedToRoot(e)) {
                throw e;
            }
            return Support.UNSUPPORTED; // e.g. ENOTSUPP for a helper compiled out of this kernel
        }
    }

    private static Support probeMapType(MapType type) {
        if (type == MapType.UNSPEC) {
            return Support.UNSUPPORTED;
        }
        int key = 4;
        int value = 4;
        int max = 1;
        int flags = 0;
        boolean btf = false;
        int innerType = 0;
        switch (type) {
            case STACK_TRACE -> value = 8;
            case LPM_TRIE -> {
                key = 8;
                flags = MapFlags.NO_PREALLOC;
            }
            case CGROUP_STORAGE, PERCPU_CGROUP_STORAGE -> {
                key = 16;
                max = 0;
            }
            case QUEUE, STACK, BLOOM_FILTER -> key = 0;
            case RINGBUF, USER_RINGBUF -> {
                key = 0;
                value = 0;
                max = 4096;
            }
            case SK_STORAGE, INODE_STORAGE, TASK_STORAGE, CGRP_STORAGE -> {
                max = 0;
                flags = MapFlags.NO_PREALLOC;
                btf = true;
            }
            case ARRAY_OF_MAPS, HASH_OF_MAPS -> innerType = MapType.ARRAY.number();
            case ARENA -> {
                key = 0;
                value = 0;
                flags = MapFlags.MMAPABLE;
            }
            case STRUCT_OPS -> {
                return knownByBtf("bpf_map_type", "BPF_MAP_TYPE_" + type.name());
            }
            default -> { }
        }
        Fd btfFd = null;
        Fd inner = null;
        try {
            if (btf) {
                btfFd = BtfLoad.load(ProbeBtf.intOnly(), "probe BTF");
            }
            if (innerType != 0) {
                inner = createRaw(innerType, 4, 4, 1, 0, null, null);
            }
            Fd fd = createRaw(type.number(), key, value, max, flags, btfFd, inner);
            fd.close();
            return Support.SUPPORTED;
        } catch (BpfException e) {
            if (e.errno() == Errno.EPERM) {
                throw e;
            }
            return Support.UNSUPPORTED;
        } finally {
            if (btfFd != null) {
                btfFd.close();
            }
            if (inner != null) {
                inner.close();
            }
        }
    }

    private static Fd createRaw(int type, int key, int value, int max, int flags, Fd btf, Fd inner) {
        NativeBuffer a = Bpf.attr(BpfAttr.MapCreate.SIZE);
        ByteBuffer b = a.buffer();
        b.putInt(BpfAttr.MapCreate.MAP_TYPE, type);
        b.putInt(BpfAttr.MapCreate.KEY_SIZE, key);
        b.putInt(BpfAttr.MapCreate.VALUE_SIZE, value);
        b.putInt(BpfAttr.MapCreate.MAX_ENTRIES, max);
        b.putInt(BpfAttr.MapCreate.MAP_FLAGS, flags);
        if (inner != null) {
            b.putInt(BpfAttr.MapCreate.INNER_MAP_FD, inner.get());
        }
        if (btf != null) {
            b.putInt(BpfAttr.MapCreate.BTF_FD, btf.get());
            b.putInt(BpfAttr.MapCreate.BTF_KEY_TYPE_ID, ProbeBtf.INT_TYPE_ID);
            b.putInt(BpfAttr.MapCreate.BTF_VALUE_TYPE_ID, ProbeBtf.INT_TYPE_ID);
        }
        return Bpf.callForFd(BpfCommand.MAP_CREATE, a, BpfAttr.MapCreate.SIZE, "probe map type " + type);
    }

    /**
     * {@code BPF_PROG_ATTACH} with no program: the kernel checks the attach type before the program
     * fd, so EBADF means it knows the type. Link-only attach types answer EINVAL there; for them the
     * kernel's BTF decides.
     */
    private static Support probeAttachType(AttachType type) {
        NativeBuffer a = Bpf.attr(BpfAttr.ProgAttach.SIZE);
        a.buffer().putInt(BpfAttr.ProgAttach.TARGET_FD, -1);
        a.buffer().putInt(BpfAttr.ProgAttach.ATTACH_BPF_FD, -1);
        a.buffer().putInt(BpfAttr.ProgAttach.ATTACH_TYPE, type.number());
        long r = Sys.get().bpf(BpfCommand.PROG_ATTACH.number(), a.address(), BpfAttr.ProgAttach.SIZE);
        if (r == -Errno.EBADF.number()) {
            return Support.SUPPORTED;
        }
        if (r == -Errno.EPERM.number()) {
            throw new BpfException(BpfCommand.PROG_ATTACH, Errno.EPERM, "probe attach type " + type);
        }
        return knownByBtf("bpf_attach_type", "BPF_" + type.name());
    }

    private static Support knownByBtf(String enumName, String enumerator) {
        Optional<BtfEnums> btf = KernelBtf.ENUMS;
        if (btf.isPresent() && btf.get().values(enumName).containsKey(enumerator)) {
            return Support.KNOWN_BY_BTF;
        }
        return Support.UNSUPPORTED;
    }

    /** The kernel's BTF enums, read once when first needed. */
    private static final class KernelBtf {
        static final Optional<BtfEnums> ENUMS = BtfEnums.kernel();
    }
}
