package io.jbpf.core.internal.sys;

/**
 * Byte offsets of the fields of the kernel's {@code union bpf_attr}, one nested class per command
 * group, as laid out in {@code include/uapi/linux/bpf.h} (x86_64 and every 64-bit ABI: pointers
 * are {@code __aligned_u64}). {@code SIZE} is the end of the last field jbpf writes; the kernel
 * accepts any size up to its own as long as the bytes it does not know are zero.
 */
public final class BpfAttr {
    private BpfAttr() {}

    /** BPF_MAP_CREATE. */
    public static final class MapCreate {
        public static final int MAP_TYPE = 0;
        public static final int KEY_SIZE = 4;
        public static final int VALUE_SIZE = 8;
        public static final int MAX_ENTRIES = 12;
        public static final int MAP_FLAGS = 16;
        public static final int INNER_MAP_FD = 20;
        public static final int NUMA_NODE = 24;
        public static final int MAP_NAME = 28;
        public static final int MAP_IFINDEX = 44;
        public static final int BTF_FD = 48;
        public static final int BTF_KEY_TYPE_ID = 52;
        public static final int BTF_VALUE_TYPE_ID = 56;
        public static final int BTF_VMLINUX_VALUE_TYPE_ID = 60;
        public static final int MAP_EXTRA = 64;
        public static final int VALUE_TYPE_BTF_OBJ_FD = 72;
        public static final int MAP_TOKEN_FD = 76;
        public static final int SIZE = 80;

        private MapCreate() {}
    }

    /** BPF_MAP_LOOKUP_ELEM, UPDATE_ELEM, DELETE_ELEM, GET_NEXT_KEY, LOOKUP_AND_DELETE_ELEM, FREEZE. */
    public static final class MapElem {
        public static final int MAP_FD = 0;
        public static final int KEY = 8;
        public static final int VALUE = 16;
        public static final int NEXT_KEY = 16;
        public static final int FLAGS = 24;
        public static final int SIZE = 32;

        private MapElem() {}
    }

    /** BPF_MAP_*_BATCH. */
    public static final class Batch {
        public static final int IN_BATCH = 0;
        public static final int OUT_BATCH = 8;
        public static final int KEYS = 16;
        public static final int VALUES = 24;
        public static final int COUNT = 32;
        public static final int MAP_FD = 36;
        public static final int ELEM_FLAGS = 40;
        public static final int FLAGS = 48;
        public static final int SIZE = 56;

        private Batch() {}
    }

    /** BPF_PROG_LOAD. */
    public static final class ProgLoad {
        public static final int PROG_TYPE = 0;
        public static final int INSN_CNT = 4;
        public static final int INSNS = 8;
        public static final int LICENSE = 16;
        public static final int LOG_LEVEL = 24;
        public static final int LOG_SIZE = 28;
        public static final int LOG_BUF = 32;
        public static final int KERN_VERSION = 40;
        public static final int PROG_FLAGS = 44;
        public static final int PROG_NAME = 48;
        public static final int PROG_IFINDEX = 64;
        public static final int EXPECTED_ATTACH_TYPE = 68;
        public static final int PROG_BTF_FD = 72;
        public static final int FUNC_INFO_REC_SIZE = 76;
        public static final int FUNC_INFO = 80;
        public static final int FUNC_INFO_CNT = 88;
        public static final int LINE_INFO_REC_SIZE = 92;
        public static final int LINE_INFO = 96;
        public static final int LINE_INFO_CNT = 104;
        public static final int ATTACH_BTF_ID = 108;
        public static final int ATTACH_PROG_FD = 112;
        public static final int ATTACH_BTF_OBJ_FD = 112;
        public static final int CORE_RELO_CNT = 116;
        public static final int FD_ARRAY = 120;
        public static final int CORE_RELOS = 128;
        public static final int CORE_RELO_REC_SIZE = 136;
        public static final int LOG_TRUE_SIZE = 140;
        public static final int PROG_TOKEN_FD = 144;
        public static final int FD_ARRAY_CNT = 148;
        /** Up to line_info_cnt: what kernels since 4.15 read; enough for every field jbpf sets but the last ones. */
        public static final int SIZE_BASIC = 108;
        public static final int SIZE = 152;

        private ProgLoad() {}
    }

    /** BPF_OBJ_PIN, BPF_OBJ_GET. */
    public static final class Obj {
        public static final int PATHNAME = 0;
        public static final int BPF_FD = 8;
        public static final int FILE_FLAGS = 12;
        public static final int PATH_FD = 16;
        public static final int SIZE = 16;

        private Obj() {}
    }

    /** BPF_PROG_ATTACH, BPF_PROG_DETACH. */
    public static final class ProgAttach {
        public static final int TARGET_FD = 0;
        public static final int ATTACH_BPF_FD = 4;
        public static final int ATTACH_TYPE = 8;
        public static final int ATTACH_FLAGS = 12;
        public static final int REPLACE_BPF_FD = 16;
        public static final int RELATIVE_FD = 20;
        public static final int EXPECTED_REVISION = 24;
        public static final int SIZE = 20;

        private ProgAttach() {}
    }

    /** BPF_PROG_TEST_RUN. */
    public static final class TestRun {
        public static final int PROG_FD = 0;
        public static final int RETVAL = 4;
        public static final int DATA_SIZE_IN = 8;
        public static final int DATA_SIZE_OUT = 12;
        public static final int DATA_IN = 16;
        public static final int DATA_OUT = 24;
        public static final int REPEAT = 32;
        public static final int DURATION = 36;
        public static final int CTX_SIZE_IN = 40;
        public static final int CTX_SIZE_OUT = 44;
        public static final int CTX_IN = 48;
        public static final int CTX_OUT = 56;
        public static final int FLAGS = 64;
        public static final int CPU = 68;
        public static final int BATCH_SIZE = 72;
        public static final int SIZE = 80;

        private TestRun() {}
    }

    /** BPF_*_GET_NEXT_ID and BPF_*_GET_FD_BY_ID. */
    public static final class GetId {
        public static final int START_ID = 0;
        public static final int ID = 0;
        public static final int NEXT_ID = 4;
        public static final int OPEN_FLAGS = 8;
        public static final int SIZE = 12;

        private GetId() {}
    }

    /** BPF_OBJ_GET_INFO_BY_FD. */
    public static final class Info {
        public static final int BPF_FD = 0;
        public static final int INFO_LEN = 4;
        public static final int INFO = 8;
        public static final int SIZE = 16;

        private Info() {}
    }

    /** BPF_PROG_QUERY. */
    public static final class Query {
        public static final int TARGET_FD = 0;
        public static final int ATTACH_TYPE = 4;
        public static final int QUERY_FLAGS = 8;
        public static final int ATTACH_FLAGS = 12;
        public static final int PROG_IDS = 16;
        public static final int PROG_CNT = 24;
        public static final int PROG_ATTACH_FLAGS = 32;
        public static final int LINK_IDS = 40;
        public static final int LINK_ATTACH_FLAGS = 48;
        public static final int REVISION = 56;
        public static final int SIZE = 64;

        private Query() {}
    }

    /** BPF_RAW_TRACEPOINT_OPEN. */
    public static final class RawTracepoint {
        public static final int NAME = 0;
        public static final int PROG_FD = 8;
        public static final int COOKIE = 16;
        public static final int SIZE = 16;

        private RawTracepoint() {}
    }

    /** BPF_BTF_LOAD. */
    public static final class BtfLoad {
        public static final int BTF = 0;
        public static final int BTF_LOG_BUF = 8;
        public static final int BTF_SIZE = 16;
        public static final int BTF_LOG_SIZE = 20;
        public static final int BTF_LOG_LEVEL = 24;
        public static final int BTF_LOG_TRUE_SIZE = 28;
        public static final int BTF_FLAGS = 32;
        public static final int BTF_TOKEN_FD = 36;
        public static final int SIZE = 28;

        private BtfLoad() {}
    }

    /** BPF_TASK_FD_QUERY. */
    public static final class TaskFdQuery {
        public static final int PID = 0;
        public static final int FD = 4;
        public static final int FLAGS = 8;
        public static final int BUF_LEN = 12;
        public static final int BUF = 16;
        public static final int PROG_ID = 24;
        public static final int FD_TYPE = 28;
        public static final int PROBE_OFFSET = 32;
        public static final int PROBE_ADDR = 40;
        public static final int SIZE = 48;

        private TaskFdQuery() {}
    }

    /** BPF_LINK_CREATE, with the per-attach-kind union at offset 16. */
    public static final class LinkCreate {
        public static final int PROG_FD = 0;
        public static final int TARGET_FD = 4;
        public static final int TARGET_IFINDEX = 4;
        public static final int ATTACH_TYPE = 8;
        public static final int FLAGS = 12;
        public static final int TARGET_BTF_ID = 16;
        public static final int ITER_INFO = 16;
        public static final int ITER_INFO_LEN = 24;
        public static final int PERF_EVENT_BPF_COOKIE = 16;
        public static final int KPROBE_MULTI_FLAGS = 16;
        public static final int KPROBE_MULTI_CNT = 20;
        public static final int KPROBE_MULTI_SYMS = 24;
        public static final int KPROBE_MULTI_ADDRS = 32;
        public static final int KPROBE_MULTI_COOKIES = 40;
        public static final int TRACING_COOKIE = 24;
        public static final int TCX_RELATIVE_FD = 16;
        public static final int TCX_EXPECTED_REVISION = 24;
        public static final int UPROBE_MULTI_PATH = 16;
        public static final int UPROBE_MULTI_OFFSETS = 24;
        public static final int UPROBE_MULTI_REF_CTR_OFFSETS = 32;
        public static final int UPROBE_MULTI_COOKIES = 40;
        public static final int UPROBE_MULTI_CNT = 48;
        public static final int UPROBE_MULTI_FLAGS = 52;
        public static final int UPROBE_MULTI_PID = 56;
        public static final int NETFILTER_PF = 16;
        public static final int NETFILTER_HOOKNUM = 20;
        public static final int NETFILTER_PRIORITY = 24;
        public static final int NETFILTER_FLAGS = 28;
        public static final int SIZE = 64;

        private LinkCreate() {}
    }

    /** BPF_LINK_UPDATE. */
    public static final class LinkUpdate {
        public static final int LINK_FD = 0;
        public static final int NEW_PROG_FD = 4;
        public static final int FLAGS = 8;
        public static final int OLD_PROG_FD = 12;
        public static final int SIZE = 16;

        private LinkUpdate() {}
    }

    /** BPF_LINK_DETACH, BPF_ENABLE_STATS, BPF_ITER_CREATE, BPF_PROG_BIND_MAP, BPF_TOKEN_CREATE: small ones. */
    public static final class Small {
        public static final int LINK_DETACH_LINK_FD = 0;
        public static final int ENABLE_STATS_TYPE = 0;
        public static final int ITER_CREATE_LINK_FD = 0;
        public static final int ITER_CREATE_FLAGS = 4;
        public static final int PROG_BIND_MAP_PROG_FD = 0;
        public static final int PROG_BIND_MAP_MAP_FD = 4;
        public static final int PROG_BIND_MAP_FLAGS = 8;
        public static final int TOKEN_CREATE_FLAGS = 0;
        public static final int TOKEN_CREATE_BPFFS_FD = 4;
        public static final int SIZE = 12;

        private Small() {}
    }
}
