package dev.cinnabar.storage.rdb;

import java.io.IOException;

/** A corrupt, truncated or unsupported RDB file or DUMP payload: where, and what is wrong. */
public final class RdbException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String problem;

    public RdbException(final long offset, final String problem) {
        super("RDB error at offset " + offset + ": " + problem);
        this.offset = offset;
        this.problem = problem;
    }

    /** The byte offset in the input where the problem was found. */
    public long offset() {
        return offset;
    }

    public String problem() {
        return problem;
    }
}
