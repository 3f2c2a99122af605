package io.jbpf.core.vm.internal;

/** Formats {@code bpf_trace_printk} output with the conversions the kernel accepts. */
final class TraceFormat {
    private TraceFormat() {}

    static String format(Machine m, String fmt, long[] args) {
        StringBuilder out = new StringBuilder();
        int arg = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int j = i + 1;
            if (j < fmt.length() && fmt.charAt(j) == '%') {
                out.append('%');
                i = j;
                continue;
            }
            int longs = 0;
            while (j < fmt.length() && fmt.charAt(j) == 'l') {
                longs++;
                j++;
            }
            if (j >= fmt.length() || arg >= args.length) {
                throw m.fault("bpf_trace_printk: bad format '" + fmt + "'");
            }
            char conv = fmt.charAt(j);
            long v = args[arg++];
            long value = longs == 0 ? (conv == 'd' || conv == 'i' ? (int) v : v & 0xffffffffL) : v;
            switch (conv) {
                case 'd':
                case 'i':
                    out.append(value);
                    break;
                case 'u':
                    out.append(Long.toUnsignedString(value));
                    break;
                case 'x':
                    out.append(Long.toHexString(value));
                    break;
                case 'p':
                    out.append("0x").append(Long.toHexString(v));
                    break;
                case 'c':
                    out.append((char) (v & 0xff));
                    break;
                case 's':
                    out.append(m.memory.string(v, 4096, m.pc));
                    break;
                default:
                    throw m.fault("bpf_trace_printk: conversion %" + conv + " is not supported");
            }
            i = j;
        }
        return out.toString();
    }
}
