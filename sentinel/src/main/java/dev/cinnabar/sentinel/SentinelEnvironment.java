package dev.cinnabar.sentinel;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * What the host gives the sentinel: connections, the event sink, persistence, the clock, randomness, script
 * execution, and a few server facts (its port, requirepass). Everything has a production default except the
 * connector, the sink and the store.
 *
 * @param connector  opens instance links (a {@link NettyLinkConnector} on the keyspace loop)
 * @param events     logs and publishes events
 * @param store      persists the config on every state change
 * @param clock      milliseconds since the epoch, used in reply callbacks (tick() receives its time)
 * @param random     failover start desync and timer frequency jitter
 * @param scripts    starts notification / client-reconfig scripts off the loop
 * @param loop       runs script completions back on the sentinel's loop
 * @param port       the port this sentinel listens on (announced in hello messages)
 * @param requirepass this server's requirepass, used as the password towards other sentinels when no
 *                   sentinel-pass is set (null or empty when none)
 * @param resolver   host to IP resolution
 * @param crash      SENTINEL SIMULATE-FAILURE's crash (Redis exits with status 99)
 */
public record SentinelEnvironment(LinkConnector connector, SentinelEventSink events, SentinelConfigStore store,
                                  LongSupplier clock, RandomGenerator random, ScriptLauncher scripts, Executor loop,
                                  IntSupplier port, Supplier<String> requirepass, AddressResolver resolver,
                                  Runnable crash) {

    public SentinelEnvironment {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(scripts, "scripts");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(requirepass, "requirepass");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(crash, "crash");
    }

    /** The production defaults for everything but connector, events, store, loop and port. */
    public static SentinelEnvironment of(final LinkConnector connector, final SentinelEventSink events,
                                         final SentinelConfigStore store, final Executor loop, final int port) {
        return new SentinelEnvironment(connector, events, store, System::currentTimeMillis,
            RandomGenerator.getDefault(), new ProcessScriptLauncher(), loop, () -> port, () -> null,
            AddressResolver.SYSTEM, () -> Runtime.getRuntime().halt(99));
    }

    public SentinelEnvironment withClock(final LongSupplier c) {
        return new SentinelEnvironment(connector, events, store, c, random, scripts, loop, port, requirepass,
            resolver, crash);
    }

    public SentinelEnvironment withRandom(final RandomGenerator r) {
        return new SentinelEnvironment(connector, events, store, clock, r, scripts, loop, port, requirepass,
            resolver, crash);
    }

    public SentinelEnvironment withScripts(final ScriptLauncher s) {
        return new SentinelEnvironment(connector, events, store, clock, random, s, loop, port, requirepass,
            resolver, crash);
    }

    public SentinelEnvironment withRequirepass(final Supplier<String> p) {
        return new SentinelEnvironment(connector, events, store, clock, random, scripts, loop, port, p,
            resolver, crash);
    }

    public SentinelEnvironment withResolver(final AddressResolver r) {
        return new SentinelEnvironment(connector, events, store, clock, random, scripts, loop, port, requirepass,
            r, crash);
    }

    public SentinelEnvironment withCrash(final Runnable c) {
        return new SentinelEnvironment(connector, events, store, clock, random, scripts, loop, port, requirepass,
            resolver, c);
    }
}
