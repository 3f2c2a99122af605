package io.jbpf.core.internal.sys;

/** Byte offsets of {@code struct bpf_prog_info}, {@code bpf_map_info} and {@code bpf_link_info}. */
public final class InfoLayout {
    private InfoLayout() {}

    /** struct bpf_prog_info. */
    public static final class Prog {
        public static final int TYPE = 0;
        public static final int ID = 4;
        public static final int TAG = 8;
        public static final int JITED_PROG_LEN = 16;
        public static final int XLATED_PROG_LEN = 20;
        public static final int JITED_PROG_INSNS = 24;
        public static final int XLATED_PROG_INSNS = 32;
        public static final int LOAD_TIME = 40;
        public static final int CREATED_BY_UID = 48;
        public static final int NR_MAP_IDS = 52;
        public static final int MAP_IDS = 56;
        public static final int NAME = 64;
        public static final int IFINDEX = 80;
        public static final int GPL_COMPATIBLE = 84;
        public static final int NETNS_DEV = 88;
        public static final int NETNS_INO = 96;
        public static final int NR_JITED_KSYMS = 104;
        public static final int NR_JITED_FUNC_LENS = 108;
        public static final int JITED_KSYMS = 112;
        public static final int JITED_FUNC_LENS = 120;
        public static final int BTF_ID = 128;
        public static final int FUNC_INFO_REC_SIZE = 132;
        public static final int FUNC_INFO = 136;
        public static final int NR_FUNC_INFO = 144;
        public static final int NR_LINE_INFO = 148;
        public static final int LINE_INFO = 152;
        public static final int JITED_LINE_INFO = 160;
        public static final int NR_JITED_LINE_INFO = 168;
        public static final int LINE_INFO_REC_SIZE = 172;
        public static final int JITED_LINE_INFO_REC_SIZE = 176;
        public static final int NR_PROG_TAGS = 180;
        public static final int PROG_TAGS = 184;
        public static final int RUN_TIME_NS = 192;
        public static final int RUN_CNT = 200;
        public static final int RECURSION_MISSES = 208;
        public static final int VERIFIED_INSNS = 216;
        public static final int ATTACH_BTF_OBJ_ID = 220;
        public static final int ATTACH_BTF_ID = 224;
        public static final int SIZE = 232;

        private Prog() {}
    }

    /** struct bpf_map_info. */
    public static final class Map {
        public static final int TYPE = 0;
        public static final int ID = 4;
        public static final int KEY_SIZE = 8;
        public static final int VALUE_SIZE = 12;
        public static final int MAX_ENTRIES = 16;
        public static final int MAP_FLAGS = 20;
        public static final int NAME = 24;
        public static final int IFINDEX = 40;
        public static final int BTF_VMLINUX_VALUE_TYPE_ID = 44;
        public static final int NETNS_DEV = 48;
        public static final int NETNS_INO = 56;
        public static final int BTF_ID = 64;
        public static final int BTF_KEY_TYPE_ID = 68;
        public static final int BTF_VALUE_TYPE_ID = 72;
        public static final int MAP_EXTRA = 80;
        public static final int SIZE = 88;

        private Map() {}
    }

    /** struct bpf_link_info (the union starts at 16). */
    public static final class Link {
        public static final int TYPE = 0;
        public static final int ID = 4;
        public static final int PROG_ID = 8;
        public static final int XDP_IFINDEX = 16;
        public static final int TCX_IFINDEX = 16;
        public static final int TCX_ATTACH_TYPE = 20;
        public static final int CGROUP_ID = 16;
        public static final int CGROUP_ATTACH_TYPE = 24;
        public static final int SIZE = 96;

        private Link() {}
    }
}
