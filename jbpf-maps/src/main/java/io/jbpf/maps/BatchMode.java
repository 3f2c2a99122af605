package io.jbpf.maps;

/** How the bulk operations ({@code getAll}, {@code putAll}, {@code removeAll}) talk to the kernel. */
public enum BatchMode {
    /**
     * The kernel's batch commands where the map (kernel map, map type, kernel version) has them,
     * else single-element calls. A refusal of the first batch command (EINVAL, ENOTSUPP, EOPNOTSUPP)
     * switches the map to single calls for good.
     */
    AUTO,
    /** Only batch commands; a refusal is thrown. */
    BATCH,
    /** Only single-element calls (one syscall per entry). */
    SINGLE
}
