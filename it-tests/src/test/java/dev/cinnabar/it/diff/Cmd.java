package dev.cinnabar.it.diff;

import java.util.List;

import dev.cinnabar.it.support.RespClient;

/** One generated request and how its two replies are compared. */
public record Cmd(List<byte[]> argv, Match match) {
    /** EXACT: byte for byte. TIME: an integer that depends on the clock (TTL, EXPIRETIME...), compared with a tolerance. */
    public enum Match { EXACT, TIME }

    public String name() {
        return new String(argv.get(0), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return RespClient.printable(argv);
    }
}
