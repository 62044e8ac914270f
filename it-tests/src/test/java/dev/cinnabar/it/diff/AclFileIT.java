package dev.cinnabar.it.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.RespClient;
import dev.cinnabar.it.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * aclfile against the real redis-server 7.0: users loaded at start-up, ACL SAVE's file, ACL LOAD
 * refusing a bad file with the same errors (the file's path normalized), and a good reload
 * disconnecting the clients of the users it replaced, rules naming commands Redis has and
 * Cinnabar does not. Replies and the saved file must be the same bytes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
class AclFileIT {
    /** With rules naming Redis commands Cinnabar does not implement (SCRIPT KILL, EVAL, @scripting). */
    private static final String INITIAL = "user a on >x ~a:* +get\nuser default on nopass ~* &* +@all\n"
        + "user sentinel-user on >pass allchannels -@all +script|kill\n"
        + "user f on nopass +@all -@scripting +eval|x\n";

    private record Run(List<String> steps, String saved) {
    }

    @Test
    void aclFileBehavesAsRedis() throws Exception {
        final Run theirs = run(RealRedis::start);
        final Run mine = run(ServerProcess::start);
        assertThat(mine.saved()).isEqualTo(theirs.saved());
        for (int i = 0; i < theirs.steps().size(); i++) {
            assertThat(mine.steps().get(i)).as("step %d", i).isEqualTo(theirs.steps().get(i));
        }
        assertThat(mine.steps()).hasSameSizeAs(theirs.steps());
    }

    private static Run run(final Function<String[], NodeProcess> starter) throws Exception {
        final Path dir = NodeProcess.newDirectory("aclfile");
        final Path file = dir.resolve("users.acl");
        Files.writeString(file, INITIAL);
        final List<String> steps = new ArrayList<>();
        try (NodeProcess node = starter.apply(new String[] {"--aclfile", file.toString()});
             RespClient admin = node.client();
             RespClient userA = node.client()) {
            final Function<byte[], String> text = b -> new String(b, StandardCharsets.ISO_8859_1)
                .replace(file.toString(), "ACLFILE");
            steps.add(text.apply(admin.call("ACL", "LIST")));
            steps.add(text.apply(userA.call("AUTH", "a", "x")));
            steps.add(text.apply(userA.call("GET", "a:1")));
            steps.add(text.apply(admin.call("ACL", "SETUSER", "c", "on", ">cp", "~c:*", "+get", "(~s* +set)")));
            steps.add(text.apply(admin.call("ACL", "SAVE")));
            final String saved = Files.readString(file);
            Files.writeString(file, "user a on >x +nosuch\n# comment\nuser  b off\nuser b on\nuser b off\n");
            steps.add(text.apply(admin.call("ACL", "LOAD")));
            steps.add(text.apply(userA.call("GET", "a:1")));
            // one command rule: Redis 7.0 lists single commands in its command dict's per-process order
            Files.writeString(file, "user a on >y ~a:* +set\nuser d off\nuser s on -@all +@stream -xadd\n");
            steps.add(text.apply(admin.call("ACL", "LOAD")));
            steps.add("client of a closed: " + userA.closedByPeer(Duration.ofSeconds(5)));
            steps.add(text.apply(admin.call("ACL", "LIST")));
            steps.add(text.apply(admin.call("ACL", "WHOAMI")));
            Files.delete(file);
            steps.add(text.apply(admin.call("ACL", "LOAD")));
            return new Run(steps, saved);
        }
    }
}
