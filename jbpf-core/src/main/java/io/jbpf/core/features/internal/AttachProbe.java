package io.jbpf.core.features.internal;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.features.Support;
import io.jbpf.core.btf.Btf;
import io.jbpf.core.internal.sys.Bpf;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.prog.AttachType;
import java.util.Optional;

/** Probes of attach types; for link-only ones the kernel's BTF says whether it knows the name. */
public final class AttachProbe {
    private AttachProbe() {}

    /**
     * {@code BPF_PROG_ATTACH} with no program: the kernel checks the attach type before the program
     * fd, so EBADF means it knows the type. Link-only attach types answer EINVAL there; for them the
     * kernel's BTF decides.
     */
    public static Support probeAttachType(AttachType type) {
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

    public static Support knownByBtf(String enumName, String enumerator) {
        Optional<Btf> btf = KernelBtf.get();
        if (btf.isPresent() && btf.get().enumValues(enumName).containsKey(enumerator)) {
            return Support.KNOWN_BY_BTF;
        }
        return Support.UNSUPPORTED;
    }
}
