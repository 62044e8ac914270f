package dev.cinnabar.sentinel;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A sentinel on a fake clock and a {@link FakeNet}: {@link #step(long)} advances time in 100 ms ticks, answering
 * every command after each tick, the way a loop would interleave timer and replies. Events, log lines, config
 * saves and script launches are recorded.
 */
final class Harness {
    final FakeNet net = new FakeNet();
    final List<String> events = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    final List<List<String>> launched = new ArrayList<>();
    final List<ScriptLauncher.ExitListener> exits = new ArrayList<>();
    String savedConfig = "";
    int saves;
    boolean failSaves;
    long now = 1_000_000;
    final Sentinel sentinel;

    /** A generator whose nextInt(bound) is always 0: no desync, hz stays 10. */
    static final RandomGenerator ZERO = () -> 0L;

    Harness() {
        final SentinelEventSink sink = new SentinelEventSink() {
            @Override
            public void event(final Level level, final String type, final String message) {
                events.add(type + " " + message);
            }

            @Override
            public void log(final Level level, final String message) {
                logs.add(message);
            }
        };
        final SentinelConfigStore store = plan -> {
            if (failSaves) {
                throw new java.io.IOException("disk full");
            }
            savedConfig = SentinelConfigRewriter.rewrite(savedConfig, plan);
            saves++;
        };
        final ScriptLauncher scripts = (argv, onExit) -> {
            launched.add(argv);
            exits.add(onExit);
            return new ScriptLauncher.Handle() {
                @Override
                public long pid() {
                    return 4242;
                }

                @Override
                public void kill() {
                    onExit.exited(0, 9);
                }
            };
        };
        final SentinelEnvironment env = new SentinelEnvironment(net, sink, store, () -> now, ZERO, scripts,
            Runnable::run, () -> 26379, () -> null, AddressResolver.SYSTEM, () -> events.add("CRASH"));
        sentinel = new Sentinel(env);
        sentinel.previousTime = now;
    }

    /** Loads config text ("sentinel ..." lines) and starts the sentinel with a fixed id. */
    Harness config(final String text) throws SentinelConfigException {
        SentinelConfigLoader.ofText(text).load(sentinel);
        if (sentinel.myid == null) {
            sentinel.myid = "0123456789012345678901234567890123456789";
        }
        sentinel.start();
        sentinel.previousTime = now;
        return this;
    }

    /** Advances {@code ms} in 100 ms ticks, answering all commands after each one. */
    void step(final long ms) {
        for (long t = 0; t < ms; t += 100) {
            now += 100;
            sentinel.tick(now);
            net.pump();
        }
    }

    SentinelInstance master(final String name) {
        return sentinel.masters.get(name);
    }

    boolean hasEvent(final String prefix) {
        for (final String e : events) {
            if (e.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    int indexOf(final String prefix) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
