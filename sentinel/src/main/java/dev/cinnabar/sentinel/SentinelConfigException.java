package dev.cinnabar.sentinel;

/** A config directive the sentinel cannot accept; the host reports it as Redis's fatal config file error. */
public final class SentinelConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int lineNumber;
    private final String line;
    private final String reason;

    public SentinelConfigException(final int lineNumber, final String line, final String reason) {
        super("line " + lineNumber + ": " + reason);
        this.lineNumber = lineNumber;
        this.line = line;
        this.reason = reason;
    }

    public int lineNumber() {
        return lineNumber;
    }

    public String line() {
        return line;
    }

    public String reason() {
        return reason;
    }

    /** The text Redis prints before exiting (loadSentinelConfigFromQueue). */
    public String fatalMessage(final String version) {
        return "\n*** FATAL CONFIG FILE ERROR (Redis " + version + ") ***\n"
            + "Reading the configuration file, at line " + lineNumber + "\n"
            + ">>> '" + line + "'\n"
            + reason + "\n";
    }
}
