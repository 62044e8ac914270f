package dev.cinnabar.storage.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import dev.cinnabar.storage.type.Strings;

/**
 * HyperLogLog commands against Redis 7.0.15: the replies and the raw string bytes (GET of the key
 * on the real server, as hex or, for large values, as a SHA-256 of the bytes) for the same inputs.
 */
class HyperLogLogCommandsTest {
    private final StorageTestCall t = new StorageTestCall(new HyperLogLogCommands(), new ZSetCommands());

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] unhex(final String s) {
        return HexFormat.of().parseHex(s);
    }

    private static String hex(final byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static String sha256(final byte[] b) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] value(final String key) {
        return Strings.bytes(t.db().lookup(bytes(key)).value);
    }

    /** PFADD key prefix{lo} .. prefix{hi-1} in one call. */
    private String pfaddRange(final String key, final int lo, final int hi, final String prefix) {
        final String[] argv = new String[hi - lo + 2];
        argv[0] = "PFADD";
        argv[1] = key;
        for (int i = lo; i < hi; i++) {
            argv[i - lo + 2] = prefix + i;
        }
        return t.run(argv);
    }

    @Test
    void pfadd_smallSparse_bytesEqualRedis() {
        assertEquals(":1\r\n",
            t.run("PFADD", "h"));
        assertEquals("48594c4c0100000000000000000000807fff", hex(value("h")));
        assertEquals(":0\r\n",
            t.run("PFADD", "h"));
        assertEquals(":1\r\n",
            t.run("PFADD", "h", "a", "b", "c"));
        assertEquals("48594c4c01000000000000000000008060f38050b1844bfb80425a", hex(value("h")));
        assertEquals(":0\r\n",
            t.run("PFADD", "h", "a"));
        assertEquals(":3\r\n",
            t.run("PFCOUNT", "h"));
        assertEquals("48594c4c01000000030000000000000060f38050b1844bfb80425a", hex(value("h")));
        assertEquals(":3\r\n",
            t.run("PFCOUNT", "h"));
        assertEquals(":0\r\n",
            t.run("PFCOUNT", "nokey"));
        assertEquals(":1\r\n", pfaddRange("h", 0, 100, "e"));
        assertEquals("7005d32184bf35bcd86fd7bfbc1b8c2dc6a49efde8e88a7891094fb49ed6615a", sha256(value("h")));
        assertEquals(":103\r\n",
            t.run("PFCOUNT", "h"));
        assertEquals("cedc826c768dcd3cb533e1229df2f575ee54c13c32edb7addde63671b6985b5a", sha256(value("h")));
    }

    @Test
    void pfadd_promotesToDense_pastSparseMaxBytes() {
        assertEquals(":1\r\n", pfaddRange("h", 0, 1000, "e"));
        assertEquals("519a7f0764d633e025ff9f8cdeb30cd2f452e2ad37f729f6b9ea7a4699791162", sha256(value("h")));
        assertEquals(":1008\r\n",
            t.run("PFCOUNT", "h"));
        assertEquals(":1\r\n", pfaddRange("h", 1000, 5000, "e"));
        assertEquals("30fcb3cb5ca471e828fd4198c8a725788bfe4f7af468df84b6702397bc25439c", sha256(value("h")));
        assertEquals(":4968\r\n",
            t.run("PFCOUNT", "h"));
        assertEquals("bd470063c39f632ff0572b22d3ae558cdc523a5ae6f47e7324ed636dcc84e2ec", sha256(value("h")));
        assertEquals(":1\r\n", pfaddRange("big", 0, 100000, "x"));
        assertEquals(":100903\r\n",
            t.run("PFCOUNT", "big"));
        assertEquals("9a8cd483649896a288a0e2ba219cfabb58bb73e015dc3c127de8b4fffc786d43", sha256(value("big")));
    }

    @Test
    void pfadd_lowSparseLimit() {
        t.settings.hllSparseMaxBytes = 40;
        assertEquals(":1\r\n", pfaddRange("h", 0, 10, "e"));
        assertEquals("a5d382d84e01c75e117f8b8b0877211084572ceae2865cd446524c74ca06da51", sha256(value("h")));
        assertEquals(":1\r\n", pfaddRange("h", 10, 30, "e"));
        assertEquals("1fd85c56c094b8e53fce140689dad5413c06f91d8fae0e6cd85c3ab6428a0378", sha256(value("h")));
        assertEquals(":30\r\n",
            t.run("PFCOUNT", "h"));
    }

    @Test
    void pfmerge_and_multiCount() {
        assertEquals(":1\r\n", pfaddRange("a", 0, 300, "e"));
        assertEquals(":1\r\n", pfaddRange("b", 200, 600, "e"));
        assertEquals(":1\r\n", pfaddRange("d", 0, 4000, "z"));
        assertEquals(":606\r\n",
            t.run("PFCOUNT", "a", "b"));
        assertEquals(":4608\r\n",
            t.run("PFCOUNT", "a", "b", "d", "nokey"));
        assertEquals("+OK\r\n",
            t.run("PFMERGE", "m", "a", "b"));
        assertEquals("c49874a02a267603944555a61511a637db7ff495593a80c265f6d8600f7c8a3f", sha256(value("m")));
        assertEquals(":606\r\n",
            t.run("PFCOUNT", "m"));
        assertEquals("+OK\r\n",
            t.run("PFMERGE", "m2", "a", "d"));
        assertEquals("2847056e61a5e0a1216f0aa3039e4dc27dbdc30418d45172d33d5368f4ca9d25", sha256(value("m2")));
        assertEquals(":4290\r\n",
            t.run("PFCOUNT", "m2"));
        assertEquals("+OK\r\n",
            t.run("PFMERGE", "a", "b"));
        assertEquals("c49874a02a267603944555a61511a637db7ff495593a80c265f6d8600f7c8a3f", sha256(value("a")));
        assertEquals("+OK\r\n",
            t.run("PFMERGE", "empty"));
        assertEquals("48594c4c0100000000000000000000807fff", hex(value("empty")));
        assertEquals("+OK\r\n",
            t.run("PFMERGE", "empty2", "nokey"));
        assertEquals("48594c4c0100000000000000000000807fff", hex(value("empty2")));
    }

    @Test
    void errors() {
        t.db().set(bytes("s"), bytes("abc"), false);
        t.db().set(bytes("i"), bytes("123"), false);
        t.run("ZADD", "z", "1", "a");
        t.db().set(bytes("bad"), unhex("48594c4c0100000000000000000000807ffe"), false);
        t.db().set(bytes("ds"), unhex("48594c4c00000000000000000000000000000000000000000000"), false);
        assertEquals("-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n",
            t.run("PFADD", "s", "a"));
        assertEquals("-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n",
            t.run("PFCOUNT", "s"));
        assertEquals("-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n",
            t.run("PFADD", "i", "a"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("PFCOUNT", "z"));
        assertEquals("-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n",
            t.run("PFMERGE", "s", "nokey"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            t.run("PFMERGE", "d", "z"));
        assertEquals("-INVALIDOBJ Corrupted HLL object detected\r\n",
            t.run("PFCOUNT", "bad"));
        assertEquals(":1\r\n",
            t.run("PFADD", "bad", "x"));
        assertEquals("-INVALIDOBJ Corrupted HLL object detected\r\n",
            t.run("PFCOUNT", "bad", "s"));
        assertEquals("-INVALIDOBJ Corrupted HLL object detected\r\n",
            t.run("PFCOUNT", "bad", "nokey"));
        assertEquals("-INVALIDOBJ Corrupted HLL object detected\r\n",
            t.run("PFMERGE", "x", "bad"));
        assertEquals("-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n",
            t.run("PFCOUNT", "ds"));
        assertEquals("-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n",
            t.run("PFADD", "ds"));
    }

    /** A sparse header then the given opcodes (hex), set as a plain string. */
    private static void setSparse(final StorageTestCall k, final String opcodesHex) {
        final byte[] hdr = unhex("48594c4c01000000000000000000008" + "0");
        final byte[] ops = unhex(opcodesHex);
        final byte[] v = new byte[hdr.length + ops.length];
        System.arraycopy(hdr, 0, v, 0, hdr.length);
        System.arraycopy(ops, 0, v, hdr.length, ops.length);
        k.runBytes(bytes("SET"), bytes("k"), v);
    }

    /**
     * Corrupted sparse bodies and in-place edits, as redis-server 7.0.15 (with the CVE-2025-32023
     * fix) handles them: a VAL run past the last register is corrupted even after a full body, a
     * PFADD keeps the edits made before it met the corruption, and PFADD / single-key PFCOUNT leave
     * a raw string while a multi-key PFCOUNT does not touch its inputs.
     */
    @Test
    void corruptedSparseBodies_andEncodings() {
        final StorageTestCall k = new StorageTestCall(new HyperLogLogCommands(), new StringCommands(),
            new KeyCommands());
        final String corrupted = "-INVALIDOBJ Corrupted HLL object detected\r\n";
        setSparse(k, "7fff" + "9f");
        assertEquals(corrupted, k.run("PFCOUNT", "k", "k"));
        assertEquals("$6\r\nembstr\r\n", k.run("OBJECT", "ENCODING", "k"));
        assertEquals(corrupted, k.run("PFCOUNT", "k"));
        assertEquals("$3\r\nraw\r\n", k.run("OBJECT", "ENCODING", "k"));
        k.runBytes(bytes("SET"), bytes("d"), unhex("48594c4c00000000000000000000008" + "0" + "00".repeat(12288)));
        setSparse(k, "7fff" + "9f");
        assertEquals(corrupted, k.run("PFMERGE", "k", "d"));
        // 10000 zeros then one VAL: 10001 registers; e0 lands inside, e1 past the end
        setSparse(k, "670f" + "80");
        assertEquals(corrupted, k.run("PFADD", "k", "e0", "e1"));
        assertEquals("$22\r\n" + "48594c4c01000000000000000000008045258061e880" + "\r\n",
            "$22\r\n" + hex(k.runBytes(bytes("GET"), bytes("k"))).substring(10, 10 + 44) + "\r\n");
        assertEquals("$3\r\nraw\r\n", k.run("OBJECT", "ENCODING", "k"));
    }
}
