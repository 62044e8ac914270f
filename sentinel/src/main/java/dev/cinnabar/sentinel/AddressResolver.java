package dev.cinnabar.sentinel;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a configured host into an IP as Redis's anetResolve does: with resolve-hostnames off only IP literals are
 * accepted (no DNS at all), with it on names are looked up. The lookup blocks, as in Redis; only configuration
 * changes and reconnections with resolve-hostnames on ever ask for one.
 */
@FunctionalInterface
public interface AddressResolver {
    /** The IP text for {@code host}, or null when it is not an IP literal (and {@code allowDns} is false) or unknown. */
    String resolve(String host, boolean allowDns);

    /** The JDK resolver, with strict IPv4 literal parsing (four decimal octets, as inet_pton). */
    AddressResolver SYSTEM = (host, allowDns) -> {
        final String v4 = ipv4Literal(host);
        if (v4 != null) {
            return v4;
        }
        if (host.indexOf(':') >= 0) {
            try {
                final InetAddress a = InetAddress.getByName(host);
                return a instanceof Inet6Address ? ipv6Text(a.getAddress()) : null;
            } catch (UnknownHostException e) {
                return null;
            }
        }
        if (!allowDns || host.isEmpty()) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    };

    /** inet_ntop's text of an IPv6 address: lower-case hex groups, the longest run of 2+ zero groups as "::". */
    static String ipv6Text(final byte[] a) {
        final int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** The canonical text of an IPv4 literal, or null when {@code s} is not one. */
    static String ipv4Literal(final String s) {
        final String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        final StringBuilder sb = new StringBuilder(15);
        for (final String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = 0;
            for (int i = 0; i < p.length(); i++) {
                final char c = p.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(v);
        }
        return sb.toString();
    }
}
