package io.jbpf.netpolicy.service;

/** A backend's state, as {@code cilium service list} prints it. */
public enum BackendState {
    /** Takes new connections. */
    ACTIVE,
    /** Keeps its established connections, gets no new ones. */
    TERMINATING;

    /** {@code active} or {@code terminating}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
