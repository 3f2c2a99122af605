package io.jbpf.core.link.internal;

import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.link.AttachTargetNotFoundException;

/** Interface names to indexes, in the calling thread's network namespace. */
public final class Interfaces {
    private Interfaces() {}

    /** The index of {@code name}; throws {@link AttachTargetNotFoundException} when there is none. */
    public static int index(String name) {
        if (name == null || name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("not an interface name: '" + name + "'");
        }
        int index = Sys.get().ifNameToIndex(name);
        if (index == 0) {
            throw new AttachTargetNotFoundException("network interface", name,
                    "no such interface in the network namespace of thread '" + Thread.currentThread().getName()
                    + "' (to attach in another namespace, call from NetNamespace.run)");
        }
        return index;
    }

    /** Checks an interface index. */
    public static int checkIndex(int ifindex) {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("not an interface index: " + ifindex);
        }
        return ifindex;
    }
}
