package dev.cinnabar.server;

import java.security.SecureRandom;

/** A 40-hex-character run id, as Redis's getRandomHexChars gives. */
public final class RunId {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunId() {
    }

    public static String random() {
        final byte[] b = new byte[20];
        RANDOM.nextBytes(b);
        final StringBuilder sb = new StringBuilder(40);
        for (final byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }
}
