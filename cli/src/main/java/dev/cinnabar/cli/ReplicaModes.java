package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespConnection;
import dev.cinnabar.protocol.client.RespValue;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * --rdb, --functions-rdb and --replica: the client poses as a replica. It announces {@code capa eof} so the master
 * may stream the snapshot diskless ({@code $EOF:<40-byte mark>} ... mark) instead of {@code $<length>}, asks for
 * the snapshot only (--rdb) or for an empty one (--replica, which only wants the command stream that follows), and
 * then copies or discards the payload. The messages on stderr are redis-cli's, byte for byte.
 */
final class ReplicaModes {
    private static final int MARK_LENGTH = 40;

    /** How the master framed the snapshot: its length up front, or an end mark (diskless). */
    private record Payload(long length, byte[] endMark) {
        boolean delimited() {
            return endMark != null;
        }
    }

    private ReplicaModes() {
    }

    /** --rdb / --functions-rdb: the snapshot into a file ("-": stdout). */
    static int rdb(final RespConnection c, final CliOptions o, final PrintStream err) throws IOException {
        replconf(c, err, "capa", "eof");
        replconf(c, err, "rdb-only", "1");
        if (o.special == CliOptions.Special.FUNCTIONS_RDB) {
            replconf(c, err, "rdb-filter-only", "functions");
        }
        c.send("SYNC");
        final Payload p = payload(c, err);
        if (p == null) {
            return 1;
        }
        err.println(p.delimited()
            ? "SYNC sent to master, writing bytes of bulk transfer until EOF marker to '" + o.rdbFile + "'"
            : "SYNC sent to master, writing " + p.length() + " bytes to '" + o.rdbFile + "'");
        final boolean toStdout = o.rdbFile.equals("-");
        final FileOutputStream file;
        try {
            file = toStdout ? null : new FileOutputStream(o.rdbFile);
        } catch (FileNotFoundException e) {
            err.println("Error opening '" + o.rdbFile + "': " + openFailure(e));
            return 1;
        }
        final OutputStream sink = toStdout ? new FileOutputStream(java.io.FileDescriptor.out) : file;
        try {
            final long n = copy(c, p, sink);
            sink.flush();
            if (file != null) {
                file.getFD().sync();
            }
            err.println(p.delimited() ? "Transfer finished with success after " + n + " bytes"
                : "Transfer finished with success.");
            return 0;
        } catch (EOFException e) {
            err.println("I/O Error reading RDB payload from socket");
            return 1;
        } finally {
            if (file != null) {
                file.close();
            }
        }
    }

    /** --replica: an empty snapshot, then every command the master propagates, one CSV line each. */
    static int replica(final RespConnection c, final PrintStream out, final PrintStream err) throws IOException {
        replconf(c, err, "capa", "eof");
        replconf(c, err, "rdb-filter-only", "");
        c.send("SYNC");
        return follow(c, out, err);
    }

    /**
     * SYNC or PSYNC typed as a command: redis-cli switches to the replica output without the REPLCONF preamble.
     * The command was already sent.
     */
    static int typedSync(final RespConnection c, final PrintStream out, final PrintStream err) throws IOException {
        out.println("Entering replica output mode...  (press Ctrl-C to quit)");
        out.flush();
        return follow(c, out, err);
    }

    private static int follow(final RespConnection c, final PrintStream out, final PrintStream err)
        throws IOException {
        final Payload p = payload(c, err);
        if (p == null) {
            return 1;
        }
        err.println(p.delimited() ? "SYNC with master, discarding bytes of bulk transfer until EOF marker..."
            : "SYNC with master, discarding " + p.length() + " bytes of bulk transfer...");
        final long n;
        try {
            n = copy(c, p, null);
        } catch (EOFException e) {
            err.println("Error reading RDB payload while SYNCing");
            return 1;
        }
        if (p.delimited()) {
            err.println("SYNC done after " + n + " bytes. Logging commands from master.");
            err.println("sending REPLCONF ACK 0");
        } else {
            err.println("SYNC done. Logging commands from master.");
        }
        final AckUntilStreaming acks = p.delimited() ? AckUntilStreaming.start(c) : null;
        final ReplyFormatter csv = new ReplyFormatter(ReplyFormatter.Mode.CSV, new byte[] {'\n'});
        while (true) {
            final RespValue cmd;
            try {
                cmd = c.read();
            } catch (EOFException e) {
                err.println("Error: Server closed the connection");
                return 1;
            } finally {
                if (acks != null) {
                    acks.stop();
                }
            }
            out.write(csv.format(cmd));
            out.write('\n');
            out.flush();
        }
    }

    /**
     * After a diskless transfer the master starts the command stream on the first {@code REPLCONF ACK} it gets once it
     * has noticed the end of the snapshot. Redis notices that when it reaps its snapshot child, which can be a cron tick
     * after the last byte went out, and an ACK that arrives before the child exited is not remembered: redis-cli, which
     * sends one ACK, then waits forever. So the ACK is repeated every second, as a real replica does, until the first command arrives.
     */
    private static final class AckUntilStreaming implements Runnable {
        private static final long PERIOD_MS = 1000;
        private final RespConnection c;
        private final CountDownLatch streaming = new CountDownLatch(1);

        private AckUntilStreaming(final RespConnection c) {
            this.c = c;
        }

        static AckUntilStreaming start(final RespConnection c) throws IOException {
            c.send("REPLCONF", "ACK", "0");
            final AckUntilStreaming a = new AckUntilStreaming(c);
            final Thread t = new Thread(a, "replconf-ack");
            t.setDaemon(true);
            t.start();
            return a;
        }

        @Override
        public void run() {
            try {
                // not interrupted to stop: an interrupt would close a Unix socket channel under the reader
                while (!streaming.await(PERIOD_MS, TimeUnit.MILLISECONDS)) {
                    c.send("REPLCONF", "ACK", "0");
                }
            } catch (InterruptedException | IOException e) {
                // the connection is gone: the reading side reports that
            }
        }

        void stop() {
            streaming.countDown();
        }
    }

    private static void replconf(final RespConnection c, final PrintStream err, final String option,
                                 final String value) throws IOException {
        err.println("sending REPLCONF " + option + " " + value);
        final RespValue r = c.call("REPLCONF", option, value);
        if (r.isError()) {
            err.println("REPLCONF " + option + " error: " + r.string());
        }
    }

    /** The line that frames the snapshot; null (after redis-cli's message) when the master refused SYNC. */
    private static Payload payload(final RespConnection c, final PrintStream err) throws IOException {
        String header;
        do {
            // newlines are keepalives while the master prepares the snapshot; +FULLRESYNC precedes it after PSYNC
            header = new String(c.readLine(), StandardCharsets.ISO_8859_1).replaceFirst("^\n+", "");
        } while (header.isEmpty() || header.startsWith("+"));
        if (header.startsWith("-")) {
            err.println("SYNC with master failed: " + header);
            return null;
        }
        if (header.startsWith("$EOF:") && header.length() >= 5 + MARK_LENGTH) {
            return new Payload(-1, header.substring(5, 5 + MARK_LENGTH).getBytes(StandardCharsets.ISO_8859_1));
        }
        return new Payload(CliOptions.atol(header.substring(1)), null);
    }

    /** Copies the payload to {@code sink} (null: discard) and returns its size. */
    private static long copy(final RespConnection c, final Payload p, final OutputStream sink) throws IOException {
        final byte[] buf = new byte[64 * 1024];
        if (!p.delimited()) {
            long remaining = p.length();
            while (remaining > 0) {
                final int n = c.readRaw(buf, 0, (int) Math.min(buf.length, remaining));
                write(sink, buf, 0, n);
                remaining -= n;
            }
            return p.length();
        }
        // the last MARK_LENGTH bytes seen are held back: they may be the start of the end mark
        final byte[] mark = p.endMark();
        final byte[] window = new byte[buf.length + MARK_LENGTH];
        int held = 0;
        long total = 0;
        while (true) {
            final int n = c.readRaw(window, held, buf.length);
            final int len = held + n;
            if (len >= MARK_LENGTH && Arrays.equals(window, len - MARK_LENGTH, len, mark, 0, MARK_LENGTH)) {
                write(sink, window, 0, len - MARK_LENGTH);
                return total + len - MARK_LENGTH;
            }
            final int keep = Math.min(MARK_LENGTH, len);
            write(sink, window, 0, len - keep);
            total += len - keep;
            System.arraycopy(window, len - keep, window, 0, keep);
            held = keep;
        }
    }

    private static void write(final OutputStream sink, final byte[] b, final int off, final int n)
        throws IOException {
        if (sink != null && n > 0) {
            sink.write(b, off, n);
        }
    }

    private static String openFailure(final FileNotFoundException e) {
        final String m = e.getMessage();
        final int paren = m == null ? -1 : m.lastIndexOf('(');
        return paren >= 0 && m.endsWith(")") ? m.substring(paren + 1, m.length() - 1) : String.valueOf(m);
    }
}
