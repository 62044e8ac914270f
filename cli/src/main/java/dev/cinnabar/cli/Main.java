package dev.cinnabar.cli;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** cinnabar-cli: a redis-cli 7.0 compatible command line client. */
public final class Main {
    static final String VERSION = "7.0.15";
    static final String VERSION_LINE = "cinnabar-cli " + VERSION;

    private Main() {
    }

    public static void main(final String[] argv) {
        final PrintStream err = System.err;
        final OutputStream out = new BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
            64 * 1024);
        int code;
        try {
            code = run(argv, out, err);
        } catch (IOException e) {
            err.println("Error: " + Client.reason(e));
            code = 1;
        }
        try {
            out.flush();
        } catch (IOException ignored) {
            code = code == 0 ? 1 : code;
        }
        System.exit(code);
    }

    static int run(final String[] argv, final OutputStream out, final PrintStream err) throws IOException {
        final CliOptions o;
        try {
            o = CliOptions.parse(argv);
        } catch (CliOptions.UsageException e) {
            err.println(e.getMessage());
            return 1;
        }
        switch (o.special) {
            case HELP:
                err.print(Usage.TEXT.replace("@VERSION@", VERSION_LINE));
                return 0;
            case VERSION:
                out.write((VERSION_LINE + "\n").getBytes(StandardCharsets.UTF_8));
                return 0;
            default:
                break;
        }
        if (o.passwordOnCommandLine && !o.noAuthWarning) {
            err.println("Warning: Using a password with '-a' or '-u' option on the command line interface may not be"
                + " safe.");
        }
        if (o.askPass) {
            o.password = Repl.askPassword();
        }
        final boolean stdoutTty = Tty.isatty(1);
        final ReplyFormatter.Mode mode = o.csv ? ReplyFormatter.Mode.CSV
            : o.raw != null ? (o.raw ? ReplyFormatter.Mode.RAW : ReplyFormatter.Mode.TTY)
            : stdoutTty ? ReplyFormatter.Mode.TTY : ReplyFormatter.Mode.RAW;
        final ReplyFormatter formatter = new ReplyFormatter(mode, o.bulkDelimiter);
        final Client client = new Client(o, err);
        final CommandRunner runner = new CommandRunner(client, formatter, out,
            err, o.showPushes != null ? o.showPushes : stdoutTty);
        if (o.special != CliOptions.Special.NONE) {
            return Modes.run(o, client, runner, out, err);
        }
        if (!o.command.isEmpty()) {
            return oneShot(o, client, runner, out, err);
        }
        final LineProcessor lines = new LineProcessor(client, runner, out);
        if (Tty.isatty(0)) {
            return new Repl(client, lines).run();
        }
        client.probe();
        client.connect(false);
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!lines.process(line)) {
                break;
            }
        }
        return 0;
    }

    private static int oneShot(final CliOptions o, final Client client, final CommandRunner runner,
                               final OutputStream out, final PrintStream err) throws IOException {
        client.probe();
        final List<byte[]> argv = new ArrayList<>();
        for (final String a : o.command) {
            if (o.quotedInput) {
                final byte[] b = ArgSplitter.unquote(a);
                if (b == null) {
                    out.write("Invalid quoted string\n".getBytes(StandardCharsets.UTF_8));
                    return 1;
                }
                argv.add(b);
            } else {
                argv.add(a.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (o.stdinLastArg || o.stdinTag != null) {
            final byte[] stdin = System.in.readAllBytes();
            if (o.stdinTag != null) {
                final byte[] tag = o.stdinTag.getBytes(StandardCharsets.UTF_8);
                boolean found = false;
                for (int i = 0; i < argv.size(); i++) {
                    if (java.util.Arrays.equals(argv.get(i), tag)) {
                        argv.set(i, stdin);
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    err.println("Could not find tag '" + o.stdinTag + "' in arguments");
                    return 1;
                }
            } else {
                argv.add(stdin);
            }
        }
        if (!client.connect(false)) {
            return 1;
        }
        final long repeat = o.repeat;
        final CommandRunner.Result r = runner.run(argv, repeat, o.interval, o.exitOnError);
        return r == CommandRunner.Result.CONNECTION_LOST || (r == CommandRunner.Result.ERROR_REPLY && o.exitOnError)
            ? 1 : 0;
    }
}
