package io.jbpf.netpolicy.service;

/**
 * A service port's {@code targetPort}: a port number or the name of a container port.
 *
 * @param number the port number 1–65535, or 0 when named
 * @param name the container port name (IANA_SVC_NAME), or {@code null} when numbered
 */
public record TargetPort(int number, String name) {
    /** Checks that exactly one of number and name is given. */
    public TargetPort {
        if ((name == null) == (number == 0)) {
            throw new IllegalArgumentException("a target port is a number or a name");
        }
        if (name == null && (number < 1 || number > 65535)) {
            throw new IllegalArgumentException("targetPort " + number + " is out of range (1-65535)");
        }
    }

    /** The numbered target port {@code n}. */
    public static TargetPort of(int n) {
        return new TargetPort(n, null);
    }

    /** The target port named {@code name}. */
    public static TargetPort named(String name) {
        return new TargetPort(0, name);
    }

    /** Whether this names a container port. */
    public boolean isNamed() {
        return name != null;
    }

    @Override
    public String toString() {
        return name != null ? name : Integer.toString(number);
    }
}
