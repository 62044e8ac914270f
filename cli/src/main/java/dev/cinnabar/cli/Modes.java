package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespConnection;
import dev.cinnabar.protocol.client.RespValue;

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
                   final PrintStream err) throws IOException {
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
                return Latency.run(c, o, out, runner.formatter().mode());
            case RDB:
            case FUNCTIONS_RDB:
                return ReplicaModes.rdb(c, o, err);
            case REPLICA:
                return ReplicaModes.replica(c, out, err);
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
