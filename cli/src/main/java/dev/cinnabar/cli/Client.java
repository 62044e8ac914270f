package dev.cinnabar.cli;

import dev.cinnabar.protocol.client.RespConnection;
import dev.cinnabar.protocol.client.RespValue;
import dev.cinnabar.protocol.util.Bytes;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;

/**
 * The client's connection and the state redis-cli keeps about it: the selected database, MULTI, the protocol
 * version. Connecting authenticates, selects and switches protocol like redis-cli (failures are reported but do
 * not abort), and a lost connection is reopened on the next command.
 */
final class Client {
    private final CliOptions options;
    private final PrintStream err;
    private String host;
    private int port;
    private RespConnection conn;
    private int db;
    private int resp;
    private boolean inMulti;

    Client(final CliOptions options, final PrintStream err) {
        this.options = options;
        this.err = err;
        this.host = options.host;
        this.port = options.port;
        this.db = options.db;
        this.resp = options.resp;
    }

    CliOptions options() {
        return options;
    }

    boolean connected() {
        return conn != null;
    }

    RespConnection connection() {
        return conn;
    }

    int resp() {
        return resp;
    }

    /** Points the client at another server ({@code connect host port} in the REPL). */
    void target(final String newHost, final int newPort) {
        close();
        host = newHost;
        port = newPort;
        db = options.db;
        inMulti = false;
    }

    /** Opens the connection if needed (or always when {@code force}); false and a message on stderr on failure. */
    boolean connect(final boolean force) {
        return connect(force, false);
    }

    /**
     * A first, quiet attempt (redis-cli makes one before running commands): only an unusable TLS setup is reported,
     * so with such a setup the message appears once more when the command connects.
     */
    void probe() {
        connect(false, true);
    }

    private boolean connect(final boolean force, final boolean quiet) {
        if (conn != null && !force) {
            return true;
        }
        close();
        try {
            conn = open();
            handshake();
            return true;
        } catch (Tls.SetupException e) {
            close();
            err.println("Could not negotiate a TLS connection: " + e.getMessage());
            return false;
        } catch (IOException e) {
            close();
            if (!quiet) {
                err.println("Could not connect to Redis at " + address() + ": " + reason(e));
            }
            return false;
        }
    }

    private RespConnection open() throws IOException {
        if (options.socket != null) {
            return RespConnection.unix(Path.of(options.socket));
        }
        if (host.isEmpty()) {
            throw new UnknownHostException(host);
        }
        final Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port));
            s.setTcpNoDelay(true);
            return RespConnection.over(options.tls ? Tls.wrap(s, host, port, options) : s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private void handshake() throws IOException {
        if (options.password != null) {
            final RespValue r = options.user != null
                ? conn.call("AUTH", options.user, options.password) : conn.call("AUTH", options.password);
            if (r.isError()) {
                err.println("AUTH failed: " + r.string());
            }
        }
        if (db != 0) {
            final RespValue r = conn.call("SELECT", Integer.toString(db));
            if (r.isError()) {
                err.println("SELECT " + db + " failed: " + r.string());
                db = 0;
            }
        }
        if (resp == 3) {
            final RespValue r = conn.call("HELLO", "3");
            if (r.isError()) {
                err.println("HELLO 3 failed: " + r.string());
                resp = 2;
            }
        }
    }

    String address() {
        return options.socket != null ? options.socket : host + ":" + port;
    }

    static String reason(final IOException e) {
        if (e instanceof UnknownHostException) {
            return "Name or service not known";
        }
        if (e instanceof NoRouteToHostException) {
            return "No route to host";
        }
        if (e instanceof ConnectException || e.getMessage() == null) {
            final String m = e.getMessage();
            return m == null || m.startsWith("Connection refused") ? "Connection refused" : m;
        }
        if (e.getMessage().equals("Connection reset")) {
            return "Connection reset by peer";
        }
        if (e instanceof java.nio.file.NoSuchFileException || e.getMessage().contains("No such file")) {
            return "No such file or directory";
        }
        return e.getMessage();
    }

    /** The prompt redis-cli shows: {@code host:port[db](TX)> } or {@code not connected> }. */
    String prompt() {
        if (conn == null) {
            return "not connected> ";
        }
        final StringBuilder p = new StringBuilder();
        if (options.socket != null) {
            p.append("redis ").append(options.socket);
        } else if (host.indexOf(':') >= 0) {
            p.append('[').append(host).append("]:").append(port);
        } else {
            p.append(host).append(':').append(port);
        }
        if (db != 0) {
            p.append('[').append(db).append(']');
        }
        if (inMulti) {
            p.append("(TX)");
        }
        return p.append("> ").toString();
    }

    void send(final List<byte[]> argv) throws IOException {
        conn.send(argv);
    }

    RespValue read() throws IOException {
        return conn.read();
    }

    /** Follows the reply to a command the way redis-cli tracks SELECT, MULTI/EXEC/DISCARD and HELLO. */
    void track(final List<byte[]> argv, final RespValue reply) {
        if (reply.isError()) {
            if (inMulti && !is(argv, "MULTI") && (is(argv, "EXEC") || is(argv, "DISCARD")
                || reply.string().startsWith("EXECABORT"))) {
                inMulti = false;
            }
            return;
        }
        if (is(argv, "SELECT") && argv.size() == 2) {
            db = CliOptions.atoi(Bytes.string(argv.get(1)));
        } else if (is(argv, "MULTI")) {
            inMulti = true;
        } else if (is(argv, "EXEC") || is(argv, "DISCARD")) {
            inMulti = false;
        } else if (is(argv, "HELLO") && argv.size() >= 2) {
            resp = CliOptions.atoi(Bytes.string(argv.get(1)));
        } else if (is(argv, "RESET")) {
            db = 0;
            inMulti = false;
            resp = 2;
        }
    }

    static boolean is(final List<byte[]> argv, final String upper) {
        return !argv.isEmpty() && Bytes.equalsIgnoreCase(Bytes.ascii(upper), argv.get(0), 0, argv.get(0).length);
    }

    void close() {
        if (conn != null) {
            try {
                conn.close();
            } catch (IOException ignored) {
                // the connection is being dropped; nothing to report
            }
            conn = null;
        }
    }
}
