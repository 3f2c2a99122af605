package io.jbpf.loader.internal;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfExt;
import io.jbpf.core.btf.BtfType;
import io.jbpf.loader.LoaderException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * CO-RE: computes, for each relocation record of {@code .BTF.ext}, the value the instruction must
 * carry on the running kernel — a field's offset, size, existence or signedness, a type's
 * existence, size or id, an enumerator's existence or value — by matching the object's local
 * types to the kernel's by name (ignoring {@code ___flavor} suffixes) and following the access
 * path member by member, by name. A relocation no kernel type satisfies is "poisoned" as libbpf
 * does: the instruction becomes a call the verifier rejects, so only code that is never reached
 * (guarded by an existence check) may rely on it.
 */
public final class CoreRelocator {
    /** The helper number a poisoned instruction calls, as libbpf uses (0xbad2310, "bad relo"). */
    public static final int POISON = 0xbad2310;

    static final int FIELD_BYTE_OFFSET = 0;
    static final int FIELD_BYTE_SIZE = 1;
    static final int FIELD_EXISTS = 2;
    static final int FIELD_SIGNED = 3;
    static final int FIELD_LSHIFT_U64 = 4;
    static final int FIELD_RSHIFT_U64 = 5;
    static final int TYPE_ID_LOCAL = 6;
    static final int TYPE_ID_TARGET = 7;
    static final int TYPE_EXISTS = 8;
    static final int TYPE_SIZE = 9;
    static final int ENUMVAL_EXISTS = 10;
    static final int ENUMVAL_VALUE = 11;
    static final int TYPE_MATCHES = 12;

    /** What to do with one instruction: set its value, or poison it. */
    public record Patch(long value, boolean poison, String why) {
    }

    /** A kernel type a local type may stand for, and the BTF (vmlinux or a module's) it is in. */
    private record Candidate(Btf btf, BtfType type) {
    }

    private final Btf local;
    private final Map<String, List<Candidate>> vmlinux;
    private final java.util.function.Supplier<Map<String, Btf>> modules;
    private Map<String, List<Candidate>> moduleIndex;

    /** Relocates against {@code target} (vmlinux) alone. */
    public CoreRelocator(Btf local, Btf target) {
        this(local, target, Map.of());
    }

    /**
     * Relocates against {@code vmlinux}, and for a type vmlinux has no candidate for, against the
     * split BTF of {@code modules} (each on top of vmlinux), as libbpf does.
     */
    public CoreRelocator(Btf local, Btf vmlinux, Map<String, Btf> modules) {
        this(local, vmlinux, () -> modules);
    }

    /** As {@link #CoreRelocator(Btf, Btf, Map)}, with the modules' BTF read only when a type is missing from vmlinux. */
    public CoreRelocator(Btf local, Btf vmlinux, java.util.function.Supplier<Map<String, Btf>> modules) {
        this.local = local;
        this.vmlinux = index(vmlinux, 1, new HashMap<>());
        this.modules = modules;
    }

    /** Types of {@code btf} from id {@code from} on, by essential name. */
    private static Map<String, List<Candidate>> index(Btf btf, int from, Map<String, List<Candidate>> into) {
        for (BtfType t : btf.types().subList(from, btf.types().size())) {
            if (!t.name().isEmpty()) {
                into.computeIfAbsent(essential(t.name()), k -> new ArrayList<>(1)).add(new Candidate(btf, t));
            }
        }
        return into;
    }

    private Map<String, List<Candidate>> moduleIndex() {
        if (moduleIndex == null) {
            moduleIndex = new HashMap<>();
            modules.get().values().forEach(m -> index(m, m.firstOwnId(), moduleIndex));
        }
        return moduleIndex;
    }

    /** {@code task_struct___old} → {@code task_struct}. */
    static String essential(String name) {
        int i = name.indexOf("___");
        return i > 0 ? name.substring(0, i) : name;
    }

    /** The patches of one program section: slot → patch. */
    public Map<Integer, Patch> patches(String section, List<BtfExt.CoreRelo> relos) {
        Map<Integer, Patch> out = new HashMap<>();
        for (BtfExt.CoreRelo r : relos) {
            out.put(r.insnOffset() / 8, patch(section, r));
        }
        return out;
    }

    private Patch patch(String section, BtfExt.CoreRelo r) {
        BtfType localType = local.type(r.typeId());
        String what = "CO-RE relocation of " + Btf.describe(localType) + " access '" + r.accessString() + "' at byte "
                + r.insnOffset() + " of " + section;
        if (r.kind() == TYPE_ID_LOCAL) {
            return new Patch(r.typeId(), false, what);
        }
        List<Long> values = new ArrayList<>();
        for (Candidate candidate : candidates(localType)) {
            Long v = evaluate(r, localType, candidate.type(), candidate.btf());
            if (v != null && !values.contains(v)) {
                values.add(v);
            }
        }
        if (values.size() > 1) {
            throw new LoaderException(what + ": kernel types disagree (" + values + ")");
        }
        if (values.size() == 1) {
            return new Patch(values.get(0), false, what);
        }
        return switch (r.kind()) {
            case FIELD_EXISTS, TYPE_EXISTS, ENUMVAL_EXISTS, TYPE_MATCHES -> new Patch(0, false, what);
            default -> new Patch(0, true, what + ": no kernel type matches");
        };
    }

    /** Kernel types of the same kind and essential name: vmlinux's, or when it has none, the modules'. */
    private List<Candidate> candidates(BtfType localType) {
        String name = localType.name();
        if (name.isEmpty()) {
            return List.of();
        }
        List<Candidate> out = candidates(localType, vmlinux.getOrDefault(essential(name), List.of()));
        if (out.isEmpty()) {
            out = candidates(localType, moduleIndex().getOrDefault(essential(name), List.of()));
        }
        return out;
    }

    private static List<Candidate> candidates(BtfType localType, List<Candidate> named) {
        List<Candidate> out = new ArrayList<>();
        for (Candidate c : named) {
            if (sameKind(localType, c.type())) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean sameKind(BtfType a, BtfType b) {
        if (a instanceof BtfType.Struct && b instanceof BtfType.Struct) {
            return a.kind() == b.kind();
        }
        if (a instanceof BtfType.Enum && b instanceof BtfType.Enum) {
            return true;
        }
        return a.kind() == b.kind();
    }

    /** The value of relocation {@code r} against kernel type {@code candidate}, or null when it does not match. */
    private Long evaluate(BtfExt.CoreRelo r, BtfType localType, BtfType candidate, Btf target) {
        switch (r.kind()) {
            case TYPE_ID_TARGET:
                return (long) candidate.id();
            case TYPE_EXISTS:
            case TYPE_MATCHES:
                return 1L;
            case TYPE_SIZE:
                return target.sizeOf(candidate.id());
            case ENUMVAL_EXISTS:
            case ENUMVAL_VALUE: {
                String[] acc = r.accessString().split(":");
                BtfType.Enum le = (BtfType.Enum) local.resolve(localType.id());
                String enumerator = le.values().get(Integer.parseInt(acc[0])).name();
                for (BtfType.Enumerator e : ((BtfType.Enum) candidate).values()) {
                    if (essential(e.name()).equals(essential(enumerator))) {
                        return r.kind() == ENUMVAL_EXISTS ? 1L : e.value();
                    }
                }
                return null;
            }
            default:
                return field(r, localType, candidate, target);
        }
    }

    /** Follows the access path through local and kernel types in step; null when a member is missing. */
    private Long field(BtfExt.CoreRelo r, BtfType localType, BtfType candidate, Btf target) {
        String[] acc = r.accessString().split(":");
        int lt = localType.id();
        int tt = candidate.id();
        long bitOffset = Long.parseLong(acc[0]) * target.sizeOf(tt) * 8;
        int memberType = tt;
        int bitfieldSize = 0;
        for (int i = 1; i < acc.length; i++) {
            int index = Integer.parseInt(acc[i]);
            BtfType l = local.resolve(lt);
            BtfType t = target.resolve(tt);
            if (l instanceof BtfType.Array la) {
                if (!(t instanceof BtfType.Array ta)) {
                    return null;
                }
                bitOffset += index * target.sizeOf(ta.elementType()) * 8;
                lt = la.elementType();
                tt = ta.elementType();
                memberType = tt;
                bitfieldSize = 0;
                continue;
            }
            if (!(l instanceof BtfType.Struct ls) || !(t instanceof BtfType.Struct ts) || index >= ls.members().size()) {
                return null;
            }
            BtfType.Member lm = ls.members().get(index);
            if (lm.name().isEmpty()) {
                // an anonymous struct or union of the local type (skc_num in sock_common's
                // union { struct { skc_dport; skc_num; }; }): as libbpf, only named members are
                // matched; the next one is looked for through the kernel type's anonymous members
                if (i == acc.length - 1) {
                    return null; // the access ends on an anonymous member: nothing named to match
                }
                lt = lm.type();
                continue;
            }
            long[] found = findMember(target, ts, lm.name(), 0);
            if (found == null) {
                return null;
            }
            bitOffset += found[0];
            tt = (int) found[1];
            bitfieldSize = (int) found[2];
            lt = lm.type();
            memberType = tt;
        }
        long size = bitfieldSize != 0 ? (bitfieldSize + 7) / 8 : target.sizeOf(memberType);
        switch (r.kind()) {
            case FIELD_BYTE_OFFSET:
                return bitfieldSize != 0 ? (bitOffset / 8) & ~(size - 1) : bitOffset / 8;
            case FIELD_BYTE_SIZE:
                return size;
            case FIELD_EXISTS:
                return 1L;
            case FIELD_SIGNED: {
                BtfType t = target.resolve(memberType);
                return (t instanceof BtfType.Int i && i.signed()) || (t instanceof BtfType.Enum e && e.signed()) ? 1L : 0L;
            }
            case FIELD_LSHIFT_U64: {
                int bits = bitfieldSize != 0 ? bitfieldSize : (int) size * 8;
                long start = bitOffset - ((bitOffset / 8) & ~(size - 1)) * 8;
                return 64L - (start + bits);
            }
            case FIELD_RSHIFT_U64: {
                int bits = bitfieldSize != 0 ? bitfieldSize : (int) size * 8;
                return 64L - bits;
            }
            default:
                throw new LoaderException("CO-RE relocation kind " + r.kind() + " is unknown");
        }
    }

    /** {bit offset, type id, bitfield size} of member {@code name} in {@code s}, searching anonymous members too. */
    private static long[] findMember(Btf target, BtfType.Struct s, String name, int depth) {
        if (depth > 32) {
            return null;
        }
        for (BtfType.Member m : s.members()) {
            if (Objects.equals(essential(m.name()), essential(name)) && !m.name().isEmpty()) {
                return new long[] {m.bitOffset(), m.type(), m.bitfieldSize()};
            }
            if (m.name().isEmpty() && target.resolve(m.type()) instanceof BtfType.Struct inner) {
                long[] deeper = findMember(target, inner, name, depth + 1);
                if (deeper != null) {
                    deeper[0] += m.bitOffset();
                    return deeper;
                }
            }
        }
        return null;
    }
}
