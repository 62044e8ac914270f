package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespConnection;
import dev.cinnabar.protocol.client.RespValue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The special modes selected by options (--pipe, --scan, --stat, --latency*, --rdb, --replica, --eval, ...). */
final class Modes {
    private Modes() {
    }

    static int run(final CliOptions o, final Client client, final CommandRunner runner, final OutputStream rawOut,
                   final PrintStream err, final boolean tty) throws IOException {
        if (o.special == CliOptions.Special.INTRINSIC_LATENCY) {
            return Latency.intrinsic(o.intrinsicSeconds, new PrintStream(rawOut, true, StandardCharsets.UTF_8));
        }
        if (!client.connect(false)) {
            return 1;
        }
        final RespConnection c = client.connection();
        final PrintStream out = new PrintStream(rawOut, true, StandardCharsets.UTF_8);
        switch (o.special) {
            case PIPE:
                return PipeMode.run(c, System.in, out, err, o.pipeTimeoutSec);
            case SCAN:
                return scan(c, o, out);
            case BIGKEYS:
                return KeyStats.run(c, o, KeyStats.Measure.ELEMENTS, out);
            case MEMKEYS:
                return KeyStats.run(c, o, KeyStats.Measure.MEMORY, out);
            case HOTKEYS:
                return KeyStats.run(c, o, KeyStats.Measure.FREQUENCY, out);
            case STAT:
                return Stat.run(c, o, out);
            case LATENCY:
            case LATENCY_HISTORY:
            case LATENCY_DIST:
                return Latency.run(c, o, out, tty && runner.formatter().mode() == ReplyFormatter.Mode.TTY);
            case RDB:
            case FUNCTIONS_RDB:
                return rdb(c, o, err);
            case REPLICA:
                return replica(c, out, err);
            case EVAL:
                return eval(client, runner, o);
            default:
                throw new IllegalStateException(o.special.name());
        }
    }

    private static int scan(final RespConnection c, final CliOptions o, final PrintStream out) throws IOException {
        byte[] cursor = {'0'};
        long calls = 0;
        do {
            final List<byte[]> cmd = new ArrayList<>(List.of(b("SCAN"), cursor));
            if (o.pattern != null) {
                cmd.add(b("MATCH"));
                cmd.add(o.pattern);
            }
            if (o.scanCountGiven) {
                cmd.add(b("COUNT"));
                cmd.add(b(Long.toString(o.scanCount)));
            }
            final RespValue r = c.call(cmd);
            if (r.isError()) {
                System.err.println("Error: " + r.string());
                return 1;
            }
            cursor = r.get(0).bytes();
            for (final RespValue k : r.get(1).elements()) {
                out.write(k.bytes());
                out.write('\n');
            }
            if (o.interval > 0 && ++calls % 100 == 0) {
                CommandRunner.sleep(o.interval);
            }
        } while (!(cursor.length == 1 && cursor[0] == '0'));
        out.flush();
        return 0;
    }

    /** --eval file key1 key2 , arg1 arg2: EVAL with the keys before the lone comma and the arguments after it. */
    private static int eval(final Client client, final CommandRunner runner, final CliOptions o) throws IOException {
        final byte[] script;
        try {
            script = Files.readAllBytes(Path.of(o.evalFile));
        } catch (IOException e) {
            System.err.println("Can't open file '" + o.evalFile + "': " + Client.reason(e));
            return 1;
        }
        final List<byte[]> keys = new ArrayList<>();
        final List<byte[]> args = new ArrayList<>();
        boolean afterComma = false;
        for (final String a : o.command) {
            if (!afterComma && a.equals(",")) {
                afterComma = true;
                continue;
            }
            (afterComma ? args : keys).add(b(a));
        }
        final List<byte[]> cmd = new ArrayList<>(List.of(b("EVAL"), script, b(Integer.toString(keys.size()))));
        cmd.addAll(keys);
        cmd.addAll(args);
        final CommandRunner.Result r = runner.run(cmd, 1, 0, o.exitOnError);
        return r == CommandRunner.Result.CONNECTION_LOST || (r == CommandRunner.Result.ERROR_REPLY && o.exitOnError)
            ? 1 : 0;
    }

    /** Sends SYNC like a replica and returns after the RDB payload was handed to {@code sink}. */
    private static long sync(final RespConnection c, final String filter, final PrintStream err,
                             final OutputStream sink, final String sinkName) throws IOException {
        err.println("sending REPLCONF capa eof");
        final RespValue capa = c.call("REPLCONF", "capa", "eof");
        if (capa.isError()) {
            err.println("REPLCONF capa eof error: " + capa.string());
        }
        if (filter != null) {
            err.println("sending REPLCONF " + filter);
            final String[] parts = filter.split(" ", -1);
            final RespValue r = c.call("REPLCONF", parts[0], parts[1]);
            if (r.isError()) {
                err.println("REPLCONF " + filter + " error: " + r.string());
            }
        }
        c.send("SYNC");
        String header;
        do {
            // while the master prepares the payload it sends bare newlines as keepalives
            header = new String(c.readLine(), StandardCharsets.ISO_8859_1).replaceFirst("^\n+", "");
        } while (header.isEmpty());
        if (header.startsWith("-")) {
            throw new IOException("MASTER aborted replication with an error: " + header.substring(1));
        }
        if (!header.startsWith("$")) {
            throw new IOException("Bad protocol from MASTER, the first byte is not '$' (we received '" + header
                + "'), are you sure the host and port are right?");
        }
        final byte[] buf = new byte[64 * 1024];
        if (header.startsWith("$EOF:")) {
            final byte[] mark = header.substring(5).getBytes(StandardCharsets.ISO_8859_1);
            if (sink != null) {
                err.println("SYNC sent to master, writing bytes of bulk transfer until EOF marker to '" + sinkName
                    + "'");
            }
            final byte[] tail = new byte[mark.length];
            int tailLen = 0;
            long total = 0;
            while (true) {
                final int n = c.readRaw(buf, 0, buf.length);
                final byte[] joined = new byte[tailLen + n];
                System.arraycopy(tail, 0, joined, 0, tailLen);
                System.arraycopy(buf, 0, joined, tailLen, n);
                if (joined.length >= mark.length && java.util.Arrays.equals(joined, joined.length - mark.length,
                    joined.length, mark, 0, mark.length)) {
                    writeSink(sink, joined, joined.length - mark.length);
                    return total + joined.length - mark.length;
                }
                final int keep = Math.min(mark.length, joined.length);
                writeSink(sink, joined, joined.length - keep);
                total += joined.length - keep;
                System.arraycopy(joined, joined.length - keep, tail, 0, keep);
                tailLen = keep;
            }
        }
        long remaining = Long.parseLong(header.substring(1));
        final long size = remaining;
        if (sink != null) {
            err.println("SYNC sent to master, writing " + size + " bytes to '" + sinkName + "'");
        }
        while (remaining > 0) {
            final int n = c.readRaw(buf, 0, (int) Math.min(buf.length, remaining));
            writeSink(sink, buf, n);
            remaining -= n;
        }
        return size;
    }

    private static void writeSink(final OutputStream sink, final byte[] b, final int n) throws IOException {
        if (sink != null && n > 0) {
            sink.write(b, 0, n);
        }
    }

    private static int rdb(final RespConnection c, final CliOptions o, final PrintStream err) throws IOException {
        final boolean stdout = o.rdbFile.equals("-");
        final FileOutputStream file = stdout ? null : new FileOutputStream(o.rdbFile);
        final OutputStream sink = stdout ? new FileOutputStream(java.io.FileDescriptor.out) : file;
        try {
            final String filter = o.special == CliOptions.Special.FUNCTIONS_RDB ? "rdb-filter-only functions"
                : "rdb-only 1";
            final long n = sync(c, filter, err, sink, o.rdbFile);
            sink.flush();
            if (file != null) {
                file.getFD().sync();
            }
            err.println("Transfer finished with success after " + n + " bytes");
            return 0;
        } catch (IOException e) {
            err.println(e.getMessage());
            return 1;
        } finally {
            if (file != null) {
                file.close();
            }
        }
    }

    /** --replica: SYNC, skip the RDB, then print every command of the replication stream as a CSV line. */
    private static int replica(final RespConnection c, final PrintStream out, final PrintStream err)
        throws IOException {
        final long n = sync(c, null, err, null, null);
        err.println("SYNC with master, discarding " + n + " bytes of bulk transfer...");
        err.println("SYNC done. Logging commands from master.");
        // after a diskless ($EOF:) transfer the master streams commands only once the replica acknowledged it
        c.send("REPLCONF", "ACK", "0");
        final ReplyFormatter csv = new ReplyFormatter(ReplyFormatter.Mode.CSV, new byte[] {'\n'});
        while (true) {
            final RespValue cmd;
            try {
                cmd = c.read();
            } catch (java.io.EOFException e) {
                err.println("Error: Server closed the connection");
                return 1;
            }
            out.write(csv.format(cmd));
            out.write('\n');
            out.flush();
        }
    }

    static Map<String, String> info(final RespConnection c, final String section) throws IOException {
        final RespValue r = section == null ? c.call("INFO") : c.call("INFO", section);
        final Map<String, String> m = new HashMap<>();
        if (r.isError()) {
            throw new IOException("ERROR: " + r.string());
        }
        for (final String line : r.string().split("\r\n")) {
            final int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                m.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return m;
    }

    static byte[] b(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
