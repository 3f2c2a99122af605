package io.jbpf.loader;

import io.jbpf.core.JbpfException;

/** An object file jbpf cannot turn into specs: names the section, symbol or map at fault. */
public class LoaderException extends JbpfException {
    private static final long serialVersionUID = 1L;

    public LoaderException(String message) {
        super(message);
    }

    public LoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
