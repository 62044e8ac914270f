package dev.cinnabar.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * redis-cli's command line: options come first and stop at the first word that does not start with '-'; an option
 * that needs a value and has none is "unrecognized", exactly as redis-cli reports it. Numbers parse like C's atoi.
 */
public final class CliOptions {
    /** A usage problem: the message is printed on stderr and the process exits with status 1. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(final String message) {
            super(message);
        }
    }

    /** What the invocation asks for beyond running commands. */
    public enum Special { NONE, HELP, VERSION, PIPE, SCAN, BIGKEYS, MEMKEYS, HOTKEYS, STAT, LATENCY, LATENCY_HISTORY,
        LATENCY_DIST, INTRINSIC_LATENCY, RDB, FUNCTIONS_RDB, REPLICA, EVAL }

    public String host = "127.0.0.1";
    public int port = 6379;
    public String socket;
    public String user;
    public String password;
    public boolean askPass;
    public boolean noAuthWarning;
    public boolean passwordOnCommandLine;
    public int db;
    public int resp = 2;
    private boolean resp2Given;
    private boolean resp3Given;
    public boolean tls;
    public String sni;
    public String caCert;
    public String caCertDir;
    public String cert;
    public String key;
    public boolean insecure;
    public String tlsCiphers;
    public String tlsCiphersuites;
    public long repeat = 1;
    public boolean repeatGiven;
    public double interval;
    public boolean stdinLastArg;
    public String stdinTag;
    public byte[] bulkDelimiter = {'\n'};
    public byte[] replyDelimiter = {'\n'};
    public boolean cluster;
    public boolean exitOnError;
    public Boolean raw;
    public boolean csv;
    public boolean quotedInput;
    public Boolean showPushes;
    public Special special = Special.NONE;
    public String rdbFile;
    public int pipeTimeoutSec = 30;
    public int memkeysSamples;
    public byte[] pattern;
    public long scanCount;
    public boolean scanCountGiven;
    public String evalFile;
    public int intrinsicSeconds;
    public boolean verbose;
    public List<String> command = new ArrayList<>();

    public static CliOptions parse(final String[] argv) throws UsageException {
        final CliOptions o = new CliOptions();
        int i = 0;
        for (; i < argv.length; i++) {
            final String a = argv[i];
            final boolean hasValue = i + 1 < argv.length;
            if (!a.startsWith("-")) {
                break;
            }
            if (!o.option(a, hasValue ? argv[i + 1] : null)) {
                throw new UsageException("Unrecognized option or bad number of args for: '" + a + "'");
            }
            if (o.consumedValue) {
                i++;
                o.consumedValue = false;
            }
        }
        o.command.addAll(Arrays.asList(argv).subList(i, argv.length));
        if (o.password == null && !o.askPass) {
            o.password = System.getenv("REDISCLI_AUTH");
        } else if (o.askPass) {
            o.password = null;
        }
        if (o.resp2Given && o.resp3Given) {
            throw new UsageException("Options -2 and -3 are mutually exclusive.");
        }
        if (o.special == Special.EVAL && o.evalFile == null) {
            throw new UsageException("Unrecognized option or bad number of args for: '--eval'");
        }
        return o;
    }

    private boolean consumedValue;

    private String value(final String v) {
        consumedValue = true;
        return v;
    }

    /** Applies one option; false when it is unknown or lacks its value. */
    private boolean option(final String a, final String v) throws UsageException {
        switch (a) {
            case "-h": if (v == null) return false; host = value(v); return true;
            case "-p": if (v == null) return false; port = atoi(value(v)); return true;
            case "-s": if (v == null) return false; socket = value(v); return true;
            case "-a": case "--pass":
                if (v == null) return false;
                password = value(v);
                passwordOnCommandLine = true;
                return true;
            case "--user": if (v == null) return false; user = value(v); return true;
            case "--askpass": askPass = true; return true;
            case "--no-auth-warning": noAuthWarning = true; return true;
            case "-u": if (v == null) return false; parseUri(value(v)); return true;
            case "-r": if (v == null) return false; repeat = atol(value(v)); repeatGiven = true; return true;
            case "-i": if (v == null) return false; interval = atof(value(v)); return true;
            case "-n": if (v == null) return false; db = atoi(value(v)); return true;
            case "-2": resp = 2; resp2Given = true; return true;
            case "-3": resp = 3; resp3Given = true; return true;
            case "-x": stdinLastArg = true; return true;
            case "-X": if (v == null) return false; stdinTag = value(v); return true;
            case "-d": if (v == null) return false; bulkDelimiter = value(v).getBytes(StandardCharsets.UTF_8); return true;
            case "-D": if (v == null) return false; replyDelimiter = value(v).getBytes(StandardCharsets.UTF_8); return true;
            case "-c": cluster = true; return true;
            case "-e": exitOnError = true; return true;
            case "--tls": tls = true; return true;
            case "--sni": if (v == null) return false; sni = value(v); return true;
            case "--cacert": if (v == null) return false; caCert = value(v); return true;
            case "--cacertdir": if (v == null) return false; caCertDir = value(v); return true;
            case "--insecure": insecure = true; return true;
            case "--cert": if (v == null) return false; cert = value(v); return true;
            case "--key": if (v == null) return false; key = value(v); return true;
            case "--tls-ciphers": if (v == null) return false; tlsCiphers = value(v); return true;
            case "--tls-ciphersuites": if (v == null) return false; tlsCiphersuites = value(v); return true;
            case "--raw": raw = Boolean.TRUE; return true;
            case "--no-raw": raw = Boolean.FALSE; return true;
            case "--csv": csv = true; return true;
            case "--quoted-input": quotedInput = true; return true;
            case "--show-pushes":
                if (v == null) return false;
                showPushes = !value(v).equalsIgnoreCase("no") && !v.equals("0") && !v.equalsIgnoreCase("n");
                return true;
            case "--stat": special = Special.STAT; return true;
            case "--latency": special = Special.LATENCY; return true;
            case "--latency-history": special = Special.LATENCY_HISTORY; return true;
            case "--latency-dist": special = Special.LATENCY_DIST; return true;
            case "--intrinsic-latency":
                if (v == null) return false;
                special = Special.INTRINSIC_LATENCY;
                intrinsicSeconds = atoi(value(v));
                return true;
            case "--replica": case "--slave": special = Special.REPLICA; return true;
            case "--rdb": if (v == null) return false; special = Special.RDB; rdbFile = value(v); return true;
            case "--functions-rdb":
                if (v == null) return false;
                special = Special.FUNCTIONS_RDB;
                rdbFile = value(v);
                return true;
            case "--pipe": special = Special.PIPE; return true;
            case "--pipe-timeout": if (v == null) return false; pipeTimeoutSec = atoi(value(v)); return true;
            case "--bigkeys": special = Special.BIGKEYS; return true;
            case "--memkeys": special = Special.MEMKEYS; return true;
            case "--memkeys-samples":
                if (v == null) return false;
                special = Special.MEMKEYS;
                memkeysSamples = atoi(value(v));
                return true;
            case "--hotkeys": special = Special.HOTKEYS; return true;
            case "--scan": special = Special.SCAN; return true;
            case "--pattern": if (v == null) return false; pattern = value(v).getBytes(StandardCharsets.UTF_8); return true;
            case "--quoted-pattern":
                if (v == null) return false;
                pattern = ArgSplitter.unquote(value(v));
                if (pattern == null) {
                    throw new UsageException("Invalid quoted string specified for --quoted-pattern.");
                }
                return true;
            case "--count":
                if (v == null) return false;
                scanCount = atol(value(v));
                scanCountGiven = true;
                return true;
            case "--eval": if (v == null) return false; special = Special.EVAL; evalFile = value(v); return true;
            case "--verbose": verbose = true; return true;
            case "--help": special = Special.HELP; return true;
            case "-v": case "--version": special = Special.VERSION; return true;
            default:
                return false;
        }
    }

    /**
     * {@code redis://[[user]:password@][host][:port][/db]}, or {@code rediss://} for TLS; the scheme in any case.
     * Parsed like redis-cli: the first '@' ends the credentials, the first ':' after them starts the port.
     */
    private void parseUri(final String uri) throws UsageException {
        final String lower = uri.toLowerCase(java.util.Locale.ROOT);
        int p;
        if (lower.startsWith("rediss://")) {
            tls = true;
            p = "rediss://".length();
        } else if (lower.startsWith("redis://")) {
            p = "redis://".length();
        } else {
            throw new UsageException("Invalid URI scheme");
        }
        if (p == uri.length()) {
            return;
        }
        final int at = uri.indexOf('@', p);
        if (at >= 0) {
            final int colon = uri.indexOf(':', p);
            if (colon >= 0 && colon < at) {
                user = percentDecode(uri, p, colon);
                p = colon + 1;
            }
            password = percentDecode(uri, p, at);
            passwordOnCommandLine = true;
            p = at + 1;
        }
        if (p == uri.length()) {
            return;
        }
        final int slash = uri.indexOf('/', p);
        if (uri.charAt(p) != '/') {
            int hostEnd = slash >= 0 ? slash : uri.length();
            final int colon = uri.indexOf(':', p);
            if (colon >= 0) {
                port = atoi(uri.substring(colon + 1));
                hostEnd = colon;
            }
            host = uri.substring(p, Math.max(p, hostEnd));
        }
        p = slash >= 0 ? slash + 1 : uri.length();
        if (p < uri.length()) {
            db = atoi(uri.substring(p));
        }
    }

    /** %XX decoding of {@code s[from, to)}; like redis-cli, a short escape reads the delimiter that follows. */
    private static String percentDecode(final String s, final int from, final int to) throws UsageException {
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            final char c = s.charAt(i);
            if (c != '%') {
                final byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                continue;
            }
            if (to - i < 2) {
                throw new UsageException("Incomplete URI encoding");
            }
            final int hi = hex(s, i + 1);
            final int lo = hex(s, i + 2);
            if (hi < 0 || lo < 0) {
                throw new UsageException("Illegal character in URI encoding");
            }
            out.write(hi << 4 | lo);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(final String s, final int i) {
        final char c = i < s.length() ? Character.toLowerCase(s.charAt(i)) : 0;
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    /** C's atoi: leading blanks, optional sign, digits up to the first non-digit; 0 when there are none. */
    static int atoi(final String s) {
        return (int) atol(s);
    }

    private static final java.util.regex.Pattern NUMBER_PREFIX =
        java.util.regex.Pattern.compile("\\s*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    static long atol(final String s) {
        int p = 0;
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
        boolean negative = false;
        if (p < s.length() && (s.charAt(p) == '-' || s.charAt(p) == '+')) {
            negative = s.charAt(p) == '-';
            p++;
        }
        long v = 0;
        while (p < s.length() && Character.isDigit(s.charAt(p))) {
            v = v * 10 + (s.charAt(p) - '0');
            p++;
        }
        return negative ? -v : v;
    }

    /** C's atof: the longest numeric prefix, 0 when there is none. */
    static double atof(final String s) {
        final java.util.regex.Matcher m = NUMBER_PREFIX.matcher(s);
        return m.lookingAt() && !m.group().isBlank() ? Double.parseDouble(m.group().trim()) : 0;
    }
}
