package dev.cinnabar.protocol.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cipher lists as Redis takes them: TLS 1.3 suites (tls-ciphersuites, names shared by OpenSSL and
 * the JDK) and older suites (tls-ciphers, OpenSSL's names such as ECDHE-RSA-AES128-GCM-SHA256),
 * colon-separated, mapped onto the JDK's standard names.
 */
public final class TlsCiphers {
    private static final Pattern OPENSSL_AEAD = Pattern.compile(
        "(ECDHE|DHE)-(RSA|ECDSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)");

    private TlsCiphers() {
    }

    /** A list a setting named does not match any suite the JDK supports; the message is Redis's reason. */
    public static final class NoneSupported extends Exception {
        private static final long serialVersionUID = 1L;

        NoneSupported(final String message) {
            super(message);
        }
    }

    /**
     * The suites to enable: the TLS 1.3 ones of {@code ciphersuites} (or of {@code enabled} when null
     * or empty), then the older ones of {@code ciphers} (same rule).
     */
    public static List<String> select(final String ciphersuites, final String ciphers, final List<String> supported,
                                      final List<String> enabled) throws NoneSupported {
        final List<String> tls13 = new ArrayList<>();
        final List<String> older = new ArrayList<>();
        for (final String suite : enabled) {
            (isTls13(suite) ? tls13 : older).add(suite);
        }
        final List<String> out = new ArrayList<>();
        out.addAll(ciphersuites == null || ciphersuites.isEmpty() ? tls13
            : pick(ciphersuites, supported, "Error while setting cypher suites"));
        out.addAll(ciphers == null || ciphers.isEmpty() ? older
            : pick(ciphers, supported, "Error while configuring ciphers"));
        return out;
    }

    public static boolean isTls13(final String suite) {
        return suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
    }

    private static List<String> pick(final String list, final List<String> supported, final String failure)
        throws NoneSupported {
        final List<String> picked = new ArrayList<>();
        for (final String name : list.split(":")) {
            final String standard = standardName(name.trim());
            if (supported.contains(standard) && !picked.contains(standard)) {
                picked.add(standard);
            }
        }
        if (picked.isEmpty()) {
            throw new NoneSupported(failure);
        }
        return picked;
    }

    /** OpenSSL's name of a TLS 1.2 AEAD suite (ECDHE-RSA-AES128-GCM-SHA256) as the JDK's; other names unchanged. */
    public static String standardName(final String name) {
        final Matcher m = OPENSSL_AEAD.matcher(name.toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            return name;
        }
        final String cipher = m.group(4) != null ? "AES_" + m.group(4) + "_GCM_SHA" + m.group(5)
            : "CHACHA20_POLY1305_SHA256";
        return "TLS_" + m.group(1) + "_" + m.group(2) + "_WITH_" + cipher;
    }
}
