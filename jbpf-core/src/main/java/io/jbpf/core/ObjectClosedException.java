package io.jbpf.core;

/** An object that owns a kernel file descriptor was used after it was closed. */
public class ObjectClosedException extends JbpfException {
    private static final long serialVersionUID = 1L;

    public ObjectClosedException(String what) {
        super(what + " is closed");
    }
}
