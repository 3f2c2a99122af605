package io.jbpf.core.features.internal;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.btf.BtfFeatures;
import io.jbpf.core.btf.BtfKind;
import io.jbpf.core.btf.BtfType;
import io.jbpf.core.btf.BtfWriter;
import io.jbpf.core.internal.sys.BtfLoad;
import io.jbpf.core.internal.sys.Fd;
import java.nio.ByteOrder;
import java.util.List;

/** Which BTF kinds the kernel takes: loads the smallest BTF that uses each, as libbpf's probes do. */
public final class BtfProbe {
    private BtfProbe() {}

    private static final BtfType INT = new BtfType.Int(1, "int", 4, true, false, false, 0, 32);

    public static BtfFeatures probe() {
        return new BtfFeatures(
                loads(INT, new BtfType.Var(2, "x", 1, 0),
                        new BtfType.Datasec(3, ".data", 4, List.of(new BtfType.VarSecInfo(2, 0, 4)))),
                loads(INT, new BtfType.FuncProto(2, "", 1, List.of()), new BtfType.Func(3, "x", 0, 2)),
                loads(INT, new BtfType.FuncProto(2, "", 1, List.of()), new BtfType.Func(3, "x", 1, 2)),
                loads(new BtfType.Float(1, "float", 4)),
                loads(INT, new BtfType.Var(2, "x", 1, 0), new BtfType.DeclTag(3, "tag", 2, -1)),
                loads(INT, new BtfType.Modifier(2, "tag", BtfKind.TYPE_TAG, 1), new BtfType.Ptr(3, "", 2)),
                loads(new BtfType.Enum(1, "e", true, 8, false, List.of(new BtfType.Enumerator("v", 1L << 40)))));
    }

    private static boolean loads(BtfType... types) {
        List<BtfType> all = new java.util.ArrayList<>(List.of(new BtfType.Void()));
        all.addAll(List.of(types));
        try (Fd fd = BtfLoad.load(BtfWriter.write(all, ByteOrder.nativeOrder()), "probe BTF")) {
            return true;
        } catch (BpfException e) {
            // without the right to load BTF nothing can be told: assume a current kernel
            return e.errno() == Errno.EPERM;
        }
    }
}
