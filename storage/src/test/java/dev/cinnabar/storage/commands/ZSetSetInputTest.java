package dev.cinnabar.storage.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** ZUNION/ZINTER/ZDIFF/ZINTERCARD with plain sets as inputs (members score 1), replies from Redis 7.0.15. */
class ZSetSetInputTest {
    private final StorageTestCall t = new StorageTestCall(new ZSetCommands(), new SetCommands());

    @Test
    void shouldTreatSetMembersAsScoreOne() {
        t.run("ZADD", "z", "1", "a", "2", "b", "3", "c");
        t.run("ZADD", "y", "2", "b", "3", "c", "4", "d");
        t.run("SADD", "s", "a", "b", "x");
        assertEquals("*10\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nb\r\n$1\r\n5\r\n"
            + "$1\r\nc\r\n$1\r\n6\r\n", t.run("ZUNION", "3", "z", "y", "s", "WITHSCORES"));
        assertEquals("*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n", t.run("ZINTER", "2", "z", "s",
            "WITHSCORES"));
        assertEquals(":3\r\n", t.run("ZINTERCARD", "1", "s"));
    }
}
