package io.jbpf.loader.internal;

/**
 * The name the kernel gets for a map of an object, as libbpf gives it: an object may name a map
 * with more than the kernel's 15 characters ({@code ksnoop_func_stack}, libbpf's own
 * {@code __bpf_usdt_specs}), and a section may hold characters the kernel does not take. The
 * object keeps the full name (programs reference it, pins use it); the kernel gets it cut to 15
 * characters with every character other than letters, digits, '_' and '.' made '_'.
 */
public final class MapNames {
    /** The kernel's limit: {@code BPF_OBJ_NAME_LEN} less the terminating NUL. */
    public static final int KERNEL_MAX = 15;

    private MapNames() {}

    /** {@code name} as the kernel takes it. */
    public static String kernelName(String name) {
        StringBuilder b = new StringBuilder(Math.min(name.length(), KERNEL_MAX));
        for (int i = 0; i < name.length() && b.length() < KERNEL_MAX; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
            b.append(ok ? c : '_');
        }
        return b.toString();
    }
}
