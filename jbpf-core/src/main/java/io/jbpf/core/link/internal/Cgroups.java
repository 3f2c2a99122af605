package io.jbpf.core.link.internal;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.link.AttachTargetNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens cgroup v2 directories for attaching. */
public final class Cgroups {
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000;
    private static final int O_CLOEXEC = 0x80000;

    private Cgroups() {}

    /** Opens the cgroup directory {@code path}; throws {@link AttachTargetNotFoundException} when missing. */
    public static Fd open(Path path) {
        if (!Files.isDirectory(path)) {
            throw new AttachTargetNotFoundException("cgroup", path.toString(),
                    "no such directory (cgroup v2 directories are under the cgroup2 mount, see /proc/mounts)");
        }
        int n = Sys.get().open(path.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (n < 0) {
            Errno e = Errno.of(-n);
            if (e == Errno.ENOENT || e == Errno.ENOTDIR) {
                throw new AttachTargetNotFoundException("cgroup", path.toString(), "cannot open it: " + e.description());
            }
            throw new BpfException("open", e, "open cgroup " + path);
        }
        return Fd.own(n, "cgroup " + path);
    }
}
