package io.jbpf.core.map;

import io.jbpf.core.internal.KernelNumbers;

/** Map types with the kernel's numbers ({@code enum bpf_map_type}) and the kernel that added each. */
public enum MapType {
    UNSPEC(0, "3.18"),
    HASH(1, "3.19"),
    ARRAY(2, "3.19"),
    PROG_ARRAY(3, "4.2"),
    PERF_EVENT_ARRAY(4, "4.3"),
    PERCPU_HASH(5, "4.6"),
    PERCPU_ARRAY(6, "4.6"),
    STACK_TRACE(7, "4.6"),
    CGROUP_ARRAY(8, "4.8"),
    LRU_HASH(9, "4.10"),
    LRU_PERCPU_HASH(10, "4.10"),
    LPM_TRIE(11, "4.11"),
    ARRAY_OF_MAPS(12, "4.12"),
    HASH_OF_MAPS(13, "4.12"),
    DEVMAP(14, "4.14"),
    SOCKMAP(15, "4.14"),
    CPUMAP(16, "4.15"),
    XSKMAP(17, "4.18"),
    SOCKHASH(18, "4.18"),
    CGROUP_STORAGE(19, "4.19"),
    REUSEPORT_SOCKARRAY(20, "4.19"),
    PERCPU_CGROUP_STORAGE(21, "4.20"),
    QUEUE(22, "4.20"),
    STACK(23, "4.20"),
    SK_STORAGE(24, "5.2"),
    DEVMAP_HASH(25, "5.4"),
    STRUCT_OPS(26, "5.6"),
    RINGBUF(27, "5.8"),
    INODE_STORAGE(28, "5.10"),
    TASK_STORAGE(29, "5.11"),
    BLOOM_FILTER(30, "5.16"),
    USER_RINGBUF(31, "6.1"),
    CGRP_STORAGE(32, "6.2"),
    ARENA(33, "6.9");

    private static final MapType[] VALUES = values();

    private final int number;
    private final String since;

    MapType(int number, String since) {
        this.number = number;
        this.since = since;
    }

    /** The kernel's number. */
    public int number() {
        return number;
    }

    /** The first mainline kernel version with this map type. */
    public String since() {
        return since;
    }

    /** Whether values are stored once per possible CPU. */
    public boolean perCpu() {
        return this == PERCPU_HASH || this == PERCPU_ARRAY || this == LRU_PERCPU_HASH || this == PERCPU_CGROUP_STORAGE;
    }

    /** The type for a kernel number. */
    public static MapType of(int number) {
        return KernelNumbers.byNumber(VALUES, MapType::number, number, "map type");
    }
}
