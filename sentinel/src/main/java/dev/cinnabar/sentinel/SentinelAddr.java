package dev.cinnabar.sentinel;

/**
 * An instance address as Sentinel keeps it: the host as configured (an IP, or a name with resolve-hostnames), the
 * resolved IP (empty when a name could not be resolved yet) and the port. Redis: sentinel.c sentinelAddr.
 */
public record SentinelAddr(String hostname, String ip, int port) {

    /** What is shown to users and other sentinels: the hostname with announce-hostnames, else the IP. */
    public String announce(final boolean announceHostnames) {
        return announceHostnames ? hostname : ip;
    }

    /** "host:port", with IPv6 addresses in brackets (announceSentinelAddrAndPort). */
    public String announceWithPort(final boolean announceHostnames) {
        final String a = announce(announceHostnames);
        return a.indexOf(':') >= 0 ? "[" + a + "]:" + port : a + ":" + port;
    }

    /** sentinelAddrIsEqual: same port and same IP, case-insensitively. */
    public boolean sameAs(final SentinelAddr o) {
        return port == o.port && ip.equalsIgnoreCase(o.ip);
    }

    /** sentinelAddrOrHostnameEqual: same port and the same IP or, when unresolved, the same hostname. */
    public boolean sameAddressOrHostname(final SentinelAddr o) {
        return port == o.port && (ip.equals(o.ip) || hostname.equalsIgnoreCase(o.hostname));
    }
}
