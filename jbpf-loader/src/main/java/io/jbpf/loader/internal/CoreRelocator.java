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

    private final Btf local;
    private final Btf target;
    private final Map<String, List<BtfType>> byEssentialName = new HashMap<>();

    public CoreRelocator(Btf local, Btf target) {
        this.local = local;
        this.target = target;
        for (BtfType t : target.types()) {
            if (!t.name().isEmpty()) {
                byEssentialName.computeIfAbsent(essential(t.name()), k -> new ArrayList<>(1)).add(t);
            }
        }
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
        for (BtfType candidate : candidates(localType)) {
            Long v = evaluate(r, localType, candidate);
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

    private List<BtfType> candidates(BtfType localType) {
        BtfType resolved = localType;
        String name = resolved.name();
        if (name.isEmpty()) {
            return List.of();
        }
        List<BtfType> out = new ArrayList<>();
        for (BtfType t : byEssentialName.getOrDefault(essential(name), List.of())) {
            if (sameKind(resolved, t)) {
                out.add(t);
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
    private Long evaluate(BtfExt.CoreRelo r, BtfType localType, BtfType candidate) {
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
                return field(r, localType, candidate);
        }
    }

    /** Follows the access path through local and kernel types in step; null when a member is missing. */
    private Long field(BtfExt.CoreRelo r, BtfType localType, BtfType candidate) {
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
            long[] found = findMember(ts, lm.name(), 0);
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
    private long[] findMember(BtfType.Struct s, String name, int depth) {
        if (depth > 32) {
            return null;
        }
        for (BtfType.Member m : s.members()) {
            if (Objects.equals(essential(m.name()), essential(name)) && !m.name().isEmpty()) {
                return new long[] {m.bitOffset(), m.type(), m.bitfieldSize()};
            }
            if (m.name().isEmpty() && target.resolve(m.type()) instanceof BtfType.Struct inner) {
                long[] deeper = findMember(inner, name, depth + 1);
                if (deeper != null) {
                    deeper[0] += m.bitOffset();
                    return deeper;
                }
            }
        }
        return null;
    }
}
