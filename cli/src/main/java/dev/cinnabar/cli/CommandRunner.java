package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespValue;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends commands and prints their replies as redis-cli does: repeats and intervals, pub/sub and MONITOR streams
 * that print until the connection ends, RESP3 pushes shown (on a terminal) or skipped while waiting for a reply,
 * and the error-exit rule of {@code -e}.
 */
final class CommandRunner {
    /** The outcome of a command: its reply was printed, it replied with an error, or the connection failed. */
    enum Result { OK, ERROR_REPLY, CONNECTION_LOST }

    private final Client client;
    private final ReplyFormatter formatter;
    private final OutputStream out;
    private final PrintStream err;
    private final boolean showPushes;
    private final ReplyFormatter rawFormatter;

    CommandRunner(final Client client, final ReplyFormatter formatter, final OutputStream out, final PrintStream err,
                  final boolean showPushes) {
        this.client = client;
        this.formatter = formatter;
        this.out = out;
        this.err = err;
        this.showPushes = showPushes;
        this.rawFormatter = new ReplyFormatter(ReplyFormatter.Mode.RAW, client.options().bulkDelimiter);
    }

    ReplyFormatter formatter() {
        return formatter;
    }

    /**
     * Runs {@code argv} {@code repeat} times (forever when negative), {@code interval} seconds apart.
     * {@code errorsToStderr} is redis-cli's one-shot {@code -e}: an error reply goes to stderr and stops the run.
     */
    Result run(final List<byte[]> argv, final long repeat, final double interval, final boolean errorsToStderr)
        throws IOException {
        Result result = Result.OK;
        for (long i = 0; repeat < 0 || i < repeat; i++) {
            if (!client.connect(false)) {
                return Result.CONNECTION_LOST;
            }
            try {
                result = once(argv, errorsToStderr);
            } catch (EOFException e) {
                client.close();
                if (Client.is(argv, "SHUTDOWN")) {
                    return Result.OK;
                }
                err.println("Error: Server closed the connection");
                return Result.CONNECTION_LOST;
            } catch (IOException e) {
                client.close();
                err.println("Error: " + Client.reason(e));
                return Result.CONNECTION_LOST;
            }
            if (result == Result.ERROR_REPLY && errorsToStderr) {
                return result;
            }
            if (interval > 0 && (repeat < 0 || i + 1 < repeat)) {
                sleep(interval);
            }
        }
        return result;
    }

    private Result once(final List<byte[]> argv, final boolean errorsToStderr) throws IOException {
        client.send(argv);
        if (Client.is(argv, "SUBSCRIBE") || Client.is(argv, "PSUBSCRIBE") || Client.is(argv, "SSUBSCRIBE")
            || Client.is(argv, "MONITOR")) {
            stream(!Client.is(argv, "MONITOR"));
            return Result.OK;
        }
        if (Client.is(argv, "SYNC") || Client.is(argv, "PSYNC")) {
            final PrintStream text = new PrintStream(out, true, StandardCharsets.UTF_8);
            return ReplicaModes.typedSync(client.connection(), text, err) == 0 ? Result.OK : Result.CONNECTION_LOST;
        }
        final RespValue reply = readReply();
        client.track(argv, reply);
        if (reply.isError() && errorsToStderr) {
            err.write(reply.bytes());
            err.write('\n');
            err.flush();
            return Result.ERROR_REPLY;
        }
        if (printsRaw(argv)) {
            out.write(rawFormatter.format(reply));
            out.flush();
        } else {
            print(reply);
        }
        return reply.isError() ? Result.ERROR_REPLY : Result.OK;
    }

    /**
     * Commands whose reply is text meant for people (INFO, CLIENT LIST, MEMORY DOCTOR...): redis-cli prints it raw
     * in every output style and adds no reply delimiter after it.
     */
    static boolean printsRaw(final List<byte[]> argv) {
        final int argc = argv.size();
        if (Client.is(argv, "INFO") || Client.is(argv, "LOLWUT")) {
            return true;
        }
        if (argc < 2) {
            return false;
        }
        final byte[] sub = argv.get(1);
        if (Client.is(argv, "DEBUG")) {
            return isWord(sub, "HTSTATS") || isWord(sub, "HTSTATS-KEY") || isWord(sub, "CLIENT-EVICTION");
        }
        if (Client.is(argv, "MEMORY")) {
            return isWord(sub, "MALLOC-STATS") || isWord(sub, "DOCTOR");
        }
        if (Client.is(argv, "CLUSTER")) {
            return argc == 2 && (isWord(sub, "NODES") || isWord(sub, "INFO"));
        }
        if (Client.is(argv, "CLIENT")) {
            return isWord(sub, "LIST") || isWord(sub, "INFO");
        }
        if (Client.is(argv, "LATENCY")) {
            return argc == 3 && isWord(sub, "GRAPH") || argc == 2 && isWord(sub, "DOCTOR");
        }
        return Client.is(argv, "PROXY") && isWord(sub, "INFO");
    }

    private static boolean isWord(final byte[] arg, final String upper) {
        return Client.is(List.of(arg), upper);
    }

    /** The reply to the last command; pushes that arrive first are printed on a terminal and skipped otherwise. */
    RespValue readReply() throws IOException {
        while (true) {
            final RespValue v = client.read();
            if (!v.is(RespValue.Type.PUSH)) {
                return v;
            }
            if (showPushes) {
                print(v);
            }
        }
    }

    /** Subscriptions and MONITOR: every message is printed as it arrives, until the connection ends. */
    private void stream(final boolean pubsub) throws IOException {
        if (pubsub && formatter.mode() != ReplyFormatter.Mode.RAW) {
            out.write("Reading messages... (press Ctrl-C to quit)\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        while (true) {
            print(client.read());
        }
    }

    void print(final RespValue v) throws IOException {
        out.write(formatter.format(v));
        switch (formatter.mode()) {
            case RAW:
                out.write(client.options().replyDelimiter);
                break;
            case CSV:
                out.write('\n');
                break;
            default:
                break;
        }
        out.flush();
    }

    static void sleep(final double seconds) {
        try {
            TimeUnit.MICROSECONDS.sleep((long) (seconds * 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
