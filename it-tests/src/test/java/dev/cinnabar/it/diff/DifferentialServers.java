package dev.cinnabar.it.diff;

import java.util.concurrent.TimeUnit;

import dev.cinnabar.it.support.NodeLogOnFailure;
import dev.cinnabar.it.support.NodeProcess;
import dev.cinnabar.it.support.RealRedis;
import dev.cinnabar.it.support.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The two servers a differential IT compares: a real redis-server and the node under test, per test class. */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
@ExtendWith(NodeLogOnFailure.class)
abstract class DifferentialServers {
    static RealRedis redis;
    static NodeProcess ours;

    @BeforeAll
    static void start() {
        redis = RealRedis.start();
        ours = ServerProcess.startUnderTest();
    }

    @AfterAll
    static void stop() {
        if (ours != null) {
            ours.close();
            ours = null;
        }
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }
}
