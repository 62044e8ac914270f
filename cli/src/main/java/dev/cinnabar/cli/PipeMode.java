package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespConnection;
import dev.cinnabar.protocol.client.RespValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mass insertion (--pipe): stdin's bytes go to the server unparsed while a second thread counts the replies. After
 * the last byte an ECHO of a random 20-byte mark is sent; its reply is the proof that every command was answered.
 */
final class PipeMode {
    private PipeMode() {
    }

    static int run(final RespConnection conn, final InputStream in, final PrintStream out, final PrintStream err,
                   final int timeoutSec) throws IOException {
        final byte[] mark = new byte[20];
        final SecureRandom random = new SecureRandom();
        for (int i = 0; i < mark.length; i++) {
            mark[i] = (byte) ("0123456789abcdefghijklmnopqrstuvwxyz".charAt(random.nextInt(36)));
        }
        final AtomicLong lastReplyNanos = new AtomicLong(System.nanoTime());
        final long[] counts = new long[2];
        final IOException[] failure = new IOException[1];
        final Thread reader = new Thread(() -> {
            try {
                while (true) {
                    final RespValue r = conn.read();
                    lastReplyNanos.set(System.nanoTime());
                    if (r.is(RespValue.Type.BULK) && java.util.Arrays.equals(r.bytes(), mark)) {
                        return;
                    }
                    counts[1]++;
                    if (r.isError()) {
                        counts[0]++;
                        err.println(r.string());
                    }
                }
            } catch (IOException e) {
                failure[0] = e;
            }
        }, "pipe-replies");
        reader.setDaemon(true);
        reader.start();
        final byte[] buf = new byte[256 * 1024];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                conn.writeRaw(buf, 0, n);
            }
            conn.send(List.of("ECHO".getBytes(java.nio.charset.StandardCharsets.US_ASCII), mark));
        } catch (IOException e) {
            err.println("Error writing to the server: " + Client.reason(e));
            return 1;
        }
        out.println("All data transferred. Waiting for the last reply...");
        lastReplyNanos.set(System.nanoTime());
        while (true) {
            try {
                reader.join(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            if (!reader.isAlive()) {
                break;
            }
            if (timeoutSec > 0
                && System.nanoTime() - lastReplyNanos.get() > TimeUnit.SECONDS.toNanos(timeoutSec)) {
                err.println("No replies for " + timeoutSec + " seconds: exiting.");
                out.println("errors: " + counts[0] + ", replies: " + counts[1]);
                return 1;
            }
        }
        if (failure[0] != null) {
            err.println("Error reading from the server: " + Client.reason(failure[0]));
            return 1;
        }
        out.println("Last reply received from server.");
        out.println("errors: " + counts[0] + ", replies: " + counts[1]);
        return counts[0] > 0 ? 1 : 0;
    }
}
