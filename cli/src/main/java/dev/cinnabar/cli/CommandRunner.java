package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespValue;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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

    CommandRunner(final Client client, final ReplyFormatter formatter, final OutputStream out, final PrintStream err,
                  final boolean showPushes) {
        this.client = client;
        this.formatter = formatter;
        this.out = out;
        this.err = err;
        this.showPushes = showPushes;
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
        final RespValue reply = readReply();
        client.track(argv, reply);
        if (reply.isError() && errorsToStderr) {
            err.write(reply.bytes());
            err.write('\n');
            err.flush();
            return Result.ERROR_REPLY;
        }
        print(reply);
        return reply.isError() ? Result.ERROR_REPLY : Result.OK;
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
        if (pubsub && formatter.mode() == ReplyFormatter.Mode.TTY) {
            out.write("Reading messages... (press Ctrl-C to quit)\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
