package dev.cinnabar.cli;

import java.net.URLDecoder;
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
            case "-2": resp = 2; return true;
            case "-3": resp = 3; return true;
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

    /** redis://[[user]:pass@]host[:port][/db] and rediss:// (TLS). */
    private void parseUri(final String uri) throws UsageException {
        final String scheme;
        if (uri.startsWith("redis://")) {
            scheme = "redis://";
        } else if (uri.startsWith("rediss://")) {
            scheme = "rediss://";
            tls = true;
        } else {
            throw new UsageException("Invalid URI scheme");
        }
        String rest = uri.substring(scheme.length());
        final int at = rest.lastIndexOf('@');
        if (at >= 0) {
            final String auth = rest.substring(0, at);
            final int colon = auth.indexOf(':');
            if (colon >= 0) {
                if (colon > 0) {
                    user = decode(auth.substring(0, colon));
                }
                password = decode(auth.substring(colon + 1));
            } else {
                password = decode(auth);
            }
            passwordOnCommandLine = true;
            rest = rest.substring(at + 1);
        }
        final int slash = rest.indexOf('/');
        String hostPort = slash >= 0 ? rest.substring(0, slash) : rest;
        if (slash >= 0 && slash + 1 < rest.length()) {
            db = atoi(rest.substring(slash + 1));
        }
        if (hostPort.startsWith("[")) {
            final int close = hostPort.indexOf(']');
            host = hostPort.substring(1, close);
            hostPort = hostPort.substring(close + 1);
            if (hostPort.startsWith(":")) {
                port = atoi(hostPort.substring(1));
            }
        } else {
            final int colon = hostPort.lastIndexOf(':');
            if (colon >= 0) {
                port = atoi(hostPort.substring(colon + 1));
                hostPort = hostPort.substring(0, colon);
            }
            if (!hostPort.isEmpty()) {
                host = hostPort;
            }
        }
    }

    private static String decode(final String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
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
