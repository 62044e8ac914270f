package dev.cinnabar.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntFunction;

/** Request bytes for the benchmarks, built once in set-up so no benchmark encodes its own input. */
public final class Resp {
    private Resp() {
    }

    /** One command in the multibulk form clients send. */
    public static byte[] command(final String... words) {
        final StringBuilder sb = new StringBuilder().append('*').append(words.length).append("\r\n");
        for (final String w : words) {
            sb.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One command in the inline form (telnet, redis-cli's raw mode): the words, spaces, CRLF. */
    public static byte[] inline(final String... words) {
        return (String.join(" ", words) + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code n} requests laid end to end in one array, with {@code offsets[i]} the start of request i
     * and {@code offsets[n]} the end, so a benchmark can cycle through distinct keys without
     * allocating.
     */
    public record Requests(byte[] bytes, int[] offsets) {
        public static Requests of(final int n, final IntFunction<byte[]> one) {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final int[] offsets = new int[n + 1];
            for (int i = 0; i < n; i++) {
                offsets[i] = out.size();
                out.writeBytes(one.apply(i));
            }
            offsets[n] = out.size();
            return new Requests(out.toByteArray(), offsets);
        }

        public int count() {
            return offsets.length - 1;
        }

        public int offset(final int i) {
            return offsets[i];
        }

        public int length(final int i) {
            return offsets[i + 1] - offsets[i];
        }

        /** A copy of request i alone. */
        public byte[] request(final int i) {
            return Arrays.copyOfRange(bytes, offsets[i], offsets[i + 1]);
        }
    }

    /** "prefix" followed by i zero-padded to {@code width} digits, as redis-benchmark's key:__rand_int__. */
    public static String key(final String prefix, final int i, final int width) {
        final String digits = Integer.toString(i);
        return prefix + "0".repeat(Math.max(0, width - digits.length())) + digits;
    }
}
