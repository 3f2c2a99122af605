package io.jbpf.core.insn;

import io.jbpf.core.JbpfException;
import java.util.Optional;

/** A helper name or number that no {@link Helper} has. */
public class UnknownHelperException extends JbpfException {
    private static final long serialVersionUID = 1L;

    private final String requested;
    private final transient Helper suggestion;

    UnknownHelperException(String requested, Helper suggestion) {
        super("unknown helper '" + requested + "'"
                + (suggestion == null ? "" : "; did you mean " + suggestion.cName() + "?"));
        this.requested = requested;
        this.suggestion = suggestion;
    }

    /** The name or number that was asked for. */
    public String requested() {
        return requested;
    }

    /** A helper with a similar name, if one is close enough. */
    public Optional<Helper> suggestion() {
        return Optional.ofNullable(suggestion);
    }
}
