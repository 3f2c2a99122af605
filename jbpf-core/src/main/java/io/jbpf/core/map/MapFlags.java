package io.jbpf.core.map;

/** The kernel's {@code BPF_F_*} map creation flags and element update flags. */
public final class MapFlags {
    private MapFlags() {}

    /** Creation: allocate hash elements on demand instead of up front. */
    public static final int NO_PREALLOC = 1;
    /** Creation: one LRU list per CPU instead of a common one. */
    public static final int NO_COMMON_LRU = 1 << 1;
    /** Creation: honour the NUMA node. */
    public static final int NUMA_NODE = 1 << 2;
    /** Creation: user space may only read. */
    public static final int RDONLY = 1 << 3;
    /** Creation: user space may only write. */
    public static final int WRONLY = 1 << 4;
    /** Creation: stack trace maps store build ids. */
    public static final int STACK_BUILD_ID = 1 << 5;
    /** Creation: hash with a zero seed (for tests). */
    public static final int ZERO_SEED = 1 << 6;
    /** Creation: programs may only read. */
    public static final int RDONLY_PROG = 1 << 7;
    /** Creation: programs may only write. */
    public static final int WRONLY_PROG = 1 << 8;
    /** Creation: sk storage is cloned to child sockets. */
    public static final int CLONE = 1 << 9;
    /** Creation: the array may be memory-mapped. */
    public static final int MMAPABLE = 1 << 10;
    /** Creation: perf event array keeps elements when the map fd is closed. */
    public static final int PRESERVE_ELEMS = 1 << 11;
    /** Creation: the map is an inner map of a map-in-map with varying max entries. */
    public static final int INNER_MAP = 1 << 12;
    /** Creation: a STRUCT_OPS map registered through a link ({@code SEC(".struct_ops.link")}), not by its update. */
    public static final int LINK = 1 << 13;

    /** Update: create or replace. */
    public static final long ANY = 0;
    /** Update: only create (fails with EEXIST). */
    public static final long NOEXIST = 1;
    /** Update: only replace (fails with ENOENT). */
    public static final long EXIST = 2;
    /** Update: take the value's spin lock. */
    public static final long LOCK = 4;
}
