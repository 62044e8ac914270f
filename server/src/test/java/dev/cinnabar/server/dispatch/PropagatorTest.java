package dev.cinnabar.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.cinnabar.protocol.resp.Args;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PropagatorTest {
    private final Propagator p = new Propagator();
    private final List<String> sent = new ArrayList<>();

    @BeforeEach
    void sink() {
        p.addSink((db, argv) -> sent.add(db + " " + Arrays.stream(argv)
            .map(b -> new String(b, StandardCharsets.US_ASCII)).collect(Collectors.joining(" "))));
    }

    private static Args args(final String... words) {
        return Args.of(words);
    }

    @Test
    void aWriteIsPropagatedAsReceivedOrRewritten() {
        p.afterCall(0, args("SET", "k", "v"), true);
        p.afterCall(0, args("GET", "k"), false);
        p.replaceCurrent(new byte[][] {"PEXPIREAT".getBytes(), "k".getBytes(), "100".getBytes()});
        p.afterCall(2, args("EXPIRE", "k", "1"), true);
        assertThat(sent).containsExactly("0 SET k v", "2 PEXPIREAT k 100");
    }

    @Test
    void aTransactionWithSeveralWritesIsOneMultiExecBlock() {
        p.enterExec();
        p.afterCall(0, args("SET", "a", "1"), true);
        p.afterCall(0, args("GET", "a"), false);
        p.propagateNow(0, new byte[][] {"DEL".getBytes(), "expired".getBytes()});
        p.afterCall(0, args("INCR", "b"), true);
        assertThat(sent).isEmpty();
        p.exitExec();
        assertThat(sent).containsExactly("0 MULTI", "0 SET a 1", "0 DEL expired", "0 INCR b", "0 EXEC");
    }

    @Test
    void aTransactionWithOneWriteIsNotWrappedAndOneWithoutWritesSendsNothing() {
        p.enterExec();
        p.afterCall(1, args("SET", "a", "1"), true);
        p.exitExec();
        p.enterExec();
        p.afterCall(1, args("GET", "a"), false);
        p.exitExec();
        assertThat(sent).containsExactly("1 SET a 1");
    }

    @Test
    void aSinkNotAcceptingGetsNothingAndAnAcceptingOneGetsTheArgumentsAsReceived() {
        final Propagator q = new Propagator();
        final List<String> viaArgs = new ArrayList<>();
        final boolean[] accepting = {false};
        q.addSink(new Propagator.Sink() {
            @Override
            public void propagate(final int dbId, final byte[][] argv) {
                viaArgs.add("arrays " + argv.length);
            }

            @Override
            public void propagate(final int dbId, final Args a) {
                viaArgs.add("args " + a);
            }

            @Override
            public boolean accepting() {
                return accepting[0];
            }
        });
        q.afterCall(0, args("SET", "a", "1"), true);
        assertThat(viaArgs).isEmpty();
        accepting[0] = true;
        q.afterCall(0, args("SET", "a", "2"), true);
        q.enterExec();
        q.afterCall(0, args("SET", "b", "3"), true);
        q.exitExec();
        assertThat(viaArgs).as("copied only when kept past the call").containsExactly("args [SET, a, 2]", "arrays 3");
    }
}
