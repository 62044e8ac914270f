package dev.cinnabar.sentinel;

/**
 * The time constants SENTINEL DEBUG shows and changes, with Redis 7.0's defaults (sentinel.c, static sentinel_*).
 * All in milliseconds.
 */
public final class SentinelTimings {
    long infoPeriod = 10_000;
    long pingPeriod = 1_000;
    long askPeriod = 1_000;
    long publishPeriod = 2_000;
    long defaultDownAfter = 30_000;
    long defaultFailoverTimeout = 180_000;
    long tiltTrigger = 2_000;
    long tiltPeriod = 30_000;
    long slaveReconfTimeout = 10_000;
    long minLinkReconnectPeriod = 15_000;
    long electionTimeout = 10_000;
    long scriptMaxRuntime = 60_000;
    long scriptRetryDelay = 30_000;

    /** Names in SENTINEL DEBUG's order, upper case as it replies them. */
    static final String[] NAMES = {
        "INFO-PERIOD", "PING-PERIOD", "ASK-PERIOD", "PUBLISH-PERIOD", "DEFAULT-DOWN-AFTER",
        "DEFAULT-FAILOVER-TIMEOUT", "TILT-TRIGGER", "TILT-PERIOD", "SLAVE-RECONF-TIMEOUT",
        "MIN-LINK-RECONNECT-PERIOD", "ELECTION-TIMEOUT", "SCRIPT-MAX-RUNTIME", "SCRIPT-RETRY-DELAY",
    };

    /** The value of {@code NAMES[i]}. */
    long get(final int i) {
        switch (i) {
            case 0: return infoPeriod;
            case 1: return pingPeriod;
            case 2: return askPeriod;
            case 3: return publishPeriod;
            case 4: return defaultDownAfter;
            case 5: return defaultFailoverTimeout;
            case 6: return tiltTrigger;
            case 7: return tiltPeriod;
            case 8: return slaveReconfTimeout;
            case 9: return minLinkReconnectPeriod;
            case 10: return electionTimeout;
            case 11: return scriptMaxRuntime;
            default: return scriptRetryDelay;
        }
    }

    /** Sets the parameter named {@code name} (any case, SENTINEL DEBUG's lower-case form); false if unknown. */
    boolean set(final String name, final long v) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "info-period" -> infoPeriod = v;
            case "ping-period" -> pingPeriod = v;
            case "ask-period" -> askPeriod = v;
            case "publish-period" -> publishPeriod = v;
            case "default-down-after" -> defaultDownAfter = v;
            case "default-failover-timeout" -> defaultFailoverTimeout = v;
            case "tilt-trigger" -> tiltTrigger = v;
            case "tilt-period" -> tiltPeriod = v;
            case "slave-reconf-timeout" -> slaveReconfTimeout = v;
            case "min-link-reconnect-period" -> minLinkReconnectPeriod = v;
            case "election-timeout" -> electionTimeout = v;
            case "script-max-runtime" -> scriptMaxRuntime = v;
            case "script-retry-delay" -> scriptRetryDelay = v;
            default -> {
                return false;
            }
        }
        return true;
    }

    /** True when {@code name} is a SENTINEL DEBUG parameter. */
    static boolean known(final String name) {
        for (final String n : NAMES) {
            if (n.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
