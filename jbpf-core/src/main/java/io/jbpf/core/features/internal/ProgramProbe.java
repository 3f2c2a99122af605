package io.jbpf.core.features.internal;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.VerifierException;
import io.jbpf.core.asm.Assembler;
import io.jbpf.core.features.Support;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import java.util.List;

/** Probes of program types and of the helpers each may call, by loading the smallest programs. */
public final class ProgramProbe {
    private ProgramProbe() {}

    private static final List<Insn> RETURN_0 = new Assembler().mov(Reg.R0, 0).exit().build();

    private static ProgramSpec.Builder probeSpec(ProgramType type, List<Insn> code) {
        ProgramSpec.Builder b = ProgramSpec.builder("jbpf_probe", type).instructions(code);
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
    public static Support probeProgramType(ProgramType type) {
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

    /** Loads {@code call helperId; exit} in a program of {@code type} (which the kernel must have) and reads the verifier's verdict. */
    public static Support probeHelper(ProgramType type, int helperId) {
        List<Insn> callExit = new Assembler().call(helperId).exit().build();
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
}
