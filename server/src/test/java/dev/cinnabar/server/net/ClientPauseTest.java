package dev.cinnabar.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinnabar.protocol.command.CommandSpec;
import dev.cinnabar.protocol.command.CommandTable;
import dev.cinnabar.server.Server;
import org.junit.jupiter.api.Test;

/** CLIENT PAUSE and FAILOVER's write pause: which commands wait, and what lifts which pause. */
class ClientPauseTest {
    private static final CommandTable TABLE = Server.buildTable();
    private static final CommandSpec SET = TABLE.lookup("set");
    private static final CommandSpec GET = TABLE.lookup("get");

    private final ClientPause pause = new ClientPause();

    @Test
    void shouldHoldWritesButNotReadsDuringAFailover() {
        pause.failoverPause(true);
        assertThat(pause.blocks(SET, 0)).isTrue();
        assertThat(pause.blocks(GET, 0)).isFalse();
        assertThat(pause.blocks(SET, Long.MAX_VALUE)).as("no end time").isTrue();
        pause.failoverPause(false);
        assertThat(pause.blocks(SET, 0)).isFalse();
    }

    @Test
    void shouldKeepTheFailoverPauseWhenClientPauseEndsOrIsLifted() {
        pause.failoverPause(true);
        pause.pause(ClientPause.Mode.ALL, 1000);
        assertThat(pause.blocks(GET, 999)).isTrue();
        assertThat(pause.expire(1000)).isTrue();
        assertThat(pause.blocks(GET, 1000)).isFalse();
        assertThat(pause.blocks(SET, 1000)).isTrue();
        pause.pause(ClientPause.Mode.WRITE, 5000);
        pause.unpause();
        assertThat(pause.mode()).isEqualTo(ClientPause.Mode.OFF);
        assertThat(pause.blocks(SET, 2000)).as("CLIENT UNPAUSE does not end a failover").isTrue();
    }
}
