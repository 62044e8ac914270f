package dev.cinnabar.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.cinnabar.benchmarks.Resp.Requests;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the ACL check costs on the command path: GET through {@link InProcessClient} as the default
 * user (+@all ~* &*, which the dispatcher skips with one field read) and as a restricted user
 * ("~key:* +get +set": a command bit test plus one key pattern match per GET). Single GETs and a
 * pipeline of 16, with the same keys and replies as {@link CommandPathBenchmark#get}, so
 * {@code -prof gc} shows whether the check allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseParallelGC", EventLoopThreadExecutor.JVM_ARG_EXECUTOR,
    EventLoopThreadExecutor.JVM_ARG_CLASS})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class AclBenchmark {
    private static final int KEYS = CommandPathBenchmark.STRING_KEYS;
    private static final int PIPELINE = 16;

    /** "default": the unrestricted default user; "restricted": a user with one key pattern and two commands. */
    @Param({"default", "restricted"})
    public String user;

    private InProcessClient client;
    private Requests get;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        client = new InProcessClient("--user", "bench", "on", ">pw", "~key:*", "+get", "+set");
        get = Requests.of(KEYS, i -> Resp.command("GET", Resp.key("key:", i, 5)));
        client.expect(Resp.command("ACL", "WHOAMI"), "$7\r\ndefault\r\n");
        client.exchange(Requests.of(KEYS, i -> Resp.command("SET", Resp.key("key:", i, 5), "xxx")).bytes());
        if (user.equals("restricted")) {
            client.expect(Resp.command("AUTH", "bench", "pw"), "+OK\r\n");
            client.expect(Resp.command("ACL", "WHOAMI"), "-NOPERM this user has no permissions to run the "
                + "'acl|whoami' command\r\n");
        }
        client.expect(get.request(7), "$3\r\nxxx\r\n");
        client.resetErrors();
    }

    /** A refused or failed GET would be measured as an error path: stop the run instead. */
    @TearDown(Level.Iteration)
    public void checkNoErrors() {
        client.checkNoErrors();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
    }

    @Benchmark
    public int get() {
        cursor = (cursor + 1) & (KEYS - 1);
        return client.exchange(get.bytes(), get.offset(cursor), get.length(cursor));
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int getPipelined16() {
        final int first = ((cursor + 1) & (KEYS - 1)) & -PIPELINE;
        cursor = first + PIPELINE - 1;
        return client.exchange(get.bytes(), get.offset(first), get.offset(first + PIPELINE) - get.offset(first));
    }
}
