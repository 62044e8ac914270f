package dev.cinnabar.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import dev.cinnabar.benchmarks.Resp.Requests;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole server path of one command family at a time, without sockets: request bytes →
 * {@code RespCommandDecoder} → {@code Dispatcher} checks → handler on a preloaded keyspace →
 * {@code RespWriter} → the flush at the end of the read (see {@link InProcessClient}).
 *
 * <p>Each request is one read and one flush, as a client without pipelining sends it
 * (redis-benchmark -P 1), except {@link #getPipelined16}, which sends 16 GETs in one read. The
 * paired benchmarks (LPUSH+LPOP, ...) send their two commands as two reads and score per command,
 * so every score is commands/s and {@code -prof gc}'s gc.alloc.rate.norm is bytes per command.
 * Keys cycle through {@value #STRING_KEYS} strings or {@value #COLLECTION_KEYS} collections, and the
 * pairs leave every collection as they found it, so the keyspace is the same in every iteration.
 * The benchmark threads are Netty event-loop threads ({@link EventLoopThreadExecutor}); overriding
 * {@code -jvmArgsAppend} on the command line drops that and measures a plain-thread caller.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseParallelGC", EventLoopThreadExecutor.JVM_ARG_EXECUTOR,
    EventLoopThreadExecutor.JVM_ARG_CLASS})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class CommandPathBenchmark {
    static final int STRING_KEYS = 1 << 14;
    static final int COLLECTION_KEYS = 1 << 10;
    /** Elements per preloaded collection: small enough for the listpack/intset-like encodings. */
    private static final int ELEMENTS = 10;
    private static final int PIPELINE = 16;
    private static final String VALUE = "xxx";

    private InProcessClient client;
    private int stringCursor;
    private int collectionCursor;
    private int zaddCursor;

    private Requests get;
    private Requests set;
    private Requests incr;
    private Requests lpush;
    private Requests lpop;
    private Requests hset;
    private Requests hget;
    private Requests sadd;
    private Requests sismember;
    private Requests zadd;
    private Requests zrange;
    private Requests publish;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        client = new InProcessClient();
        get = strings(i -> Resp.command("GET", stringKey(i)));
        set = strings(i -> Resp.command("SET", stringKey(i), VALUE));
        incr = strings(i -> Resp.command("INCR", Resp.key("counter:", i, 5)));
        lpush = collections(i -> Resp.command("LPUSH", Resp.key("list:", i, 4), VALUE));
        lpop = collections(i -> Resp.command("LPOP", Resp.key("list:", i, 4)));
        hset = collections(i -> Resp.command("HSET", Resp.key("hash:", i, 4), field(i), VALUE));
        hget = collections(i -> Resp.command("HGET", Resp.key("hash:", i, 4), field(i)));
        sadd = collections(i -> Resp.command("SADD", Resp.key("set:", i, 4), member(i)));
        sismember = collections(i -> Resp.command("SISMEMBER", Resp.key("set:", i, 4), member(i)));
        // pass 0 moves member m to score m + 0.5, pass 1 back to m: a real update that keeps the order
        zadd = Requests.of(2 * COLLECTION_KEYS, j -> {
            final int i = j % COLLECTION_KEYS;
            final String score = (i % ELEMENTS) + (j < COLLECTION_KEYS ? ".5" : "");
            return Resp.command("ZADD", Resp.key("zset:", i, 4), score, member(i));
        });
        zrange = collections(i -> Resp.command("ZRANGE", Resp.key("zset:", i, 4), "0", "9"));
        publish = collections(i -> Resp.command("PUBLISH", Resp.key("channel:", i, 4), "hello"));
        preload();
        checkReplies();
    }

    private static Requests strings(final IntFunction<byte[]> one) {
        return Requests.of(STRING_KEYS, one);
    }

    private static Requests collections(final IntFunction<byte[]> one) {
        return Requests.of(COLLECTION_KEYS, one);
    }

    private static String stringKey(final int i) {
        return Resp.key("key:", i, 5);
    }

    private static String field(final int i) {
        return Resp.key("field:", i % ELEMENTS, 2);
    }

    private static String member(final int i) {
        return Resp.key("member:", i % ELEMENTS, 2);
    }

    private void preload() {
        client.exchange(set.bytes());
        client.exchange(strings(i -> Resp.command("SET", Resp.key("counter:", i, 5), "1000")).bytes());
        for (int i = 0; i < COLLECTION_KEYS; i++) {
            final String[] list = new String[2 + ELEMENTS];
            final String[] hash = new String[2 + 2 * ELEMENTS];
            final String[] setMembers = new String[2 + ELEMENTS];
            final String[] zset = new String[2 + 2 * ELEMENTS];
            list[0] = "RPUSH";
            list[1] = Resp.key("list:", i, 4);
            hash[0] = "HSET";
            hash[1] = Resp.key("hash:", i, 4);
            setMembers[0] = "SADD";
            setMembers[1] = Resp.key("set:", i, 4);
            zset[0] = "ZADD";
            zset[1] = Resp.key("zset:", i, 4);
            for (int e = 0; e < ELEMENTS; e++) {
                list[2 + e] = VALUE;
                hash[2 + 2 * e] = field(e);
                hash[3 + 2 * e] = VALUE;
                setMembers[2 + e] = member(e);
                zset[2 + 2 * e] = Integer.toString(e);
                zset[3 + 2 * e] = member(e);
            }
            client.expect(Resp.command(list), ":" + ELEMENTS);
            client.expect(Resp.command(hash), ":" + ELEMENTS);
            client.expect(Resp.command(setMembers), ":" + ELEMENTS);
            client.expect(Resp.command(zset), ":" + ELEMENTS);
        }
    }

    /** Every benchmarked request gets the reply it should, so no score measures an error path. */
    private void checkReplies() {
        client.expect(get.request(7), "$3\r\nxxx\r\n");
        client.expect(set.request(7), "+OK\r\n");
        client.expect(incr.request(7), ":1001\r\n");
        client.expect(Resp.command("DECR", Resp.key("counter:", 7, 5)), ":1000\r\n");
        client.expect(lpush.request(7), ":" + (ELEMENTS + 1) + "\r\n");
        client.expect(lpop.request(7), "$3\r\nxxx\r\n");
        client.expect(hset.request(7), ":0\r\n");
        client.expect(hget.request(7), "$3\r\nxxx\r\n");
        client.expect(sadd.request(7), ":0\r\n");
        client.expect(sismember.request(7), ":1\r\n");
        client.expect(zadd.request(7), ":0\r\n");
        client.expect(zrange.request(7), "*" + ELEMENTS + "\r\n$9\r\nmember:00\r\n");
        client.expect(publish.request(7), ":0\r\n");
    }

    /** A command that fails would be measured as an error path: stop the run instead. */
    @TearDown(Level.Iteration)
    public void checkNoErrors() {
        client.checkNoErrors();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
    }

    private int nextString() {
        stringCursor = (stringCursor + 1) & (STRING_KEYS - 1);
        return stringCursor;
    }

    private int nextCollection() {
        collectionCursor = (collectionCursor + 1) & (COLLECTION_KEYS - 1);
        return collectionCursor;
    }

    private int send(final Requests r, final int i) {
        return client.exchange(r.bytes(), r.offset(i), r.length(i));
    }

    @Benchmark
    public int get() {
        return send(get, nextString());
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int getPipelined16() {
        return pipelined(get);
    }

    @Benchmark
    public int set() {
        return send(set, nextString());
    }

    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int setPipelined16() {
        return pipelined(set);
    }

    /** PIPELINE consecutive string-key requests in one exchange. */
    private int pipelined(final Requests r) {
        final int first = nextString() & -PIPELINE;
        stringCursor = first + PIPELINE - 1;
        return client.exchange(r.bytes(), r.offset(first), r.offset(first + PIPELINE) - r.offset(first));
    }

    @Benchmark
    public int incr() {
        return send(incr, nextString());
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public int lpushLpop() {
        final int i = nextCollection();
        return send(lpush, i) + send(lpop, i);
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public int hsetHget() {
        final int i = nextCollection();
        return send(hset, i) + send(hget, i);
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public int saddSismember() {
        final int i = nextCollection();
        return send(sadd, i) + send(sismember, i);
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public int zaddZrange() {
        zaddCursor = (zaddCursor + 1) & (2 * COLLECTION_KEYS - 1);
        return send(zadd, zaddCursor) + send(zrange, zaddCursor & (COLLECTION_KEYS - 1));
    }

    @Benchmark
    public int publish() {
        return send(publish, nextCollection());
    }
}
