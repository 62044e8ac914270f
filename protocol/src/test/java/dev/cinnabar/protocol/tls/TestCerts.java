package dev.cinnabar.protocol.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Certificates made at test time with the openssl and keytool commands, into a temporary directory. */
final class TestCerts {
    final Path dir;

    TestCerts(final Path dir) {
        this.dir = dir;
    }

    static TestCerts in(final Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        return new TestCerts(dir);
    }

    Path file(final String name) {
        return dir.resolve(name);
    }

    /** A self-signed CA: {name}.crt and {name}.key. */
    TestCerts ca(final String name) throws Exception {
        run("openssl", "req", "-x509", "-new", "-nodes", "-newkey", "rsa:2048", "-sha256", "-days", "2",
            "-keyout", file(name + ".key").toString(), "-out", file(name + ".crt").toString(),
            "-subj", "/CN=" + name);
        return this;
    }

    /** {name}.crt signed by the CA, with its key {name}.key (PKCS#8, unencrypted). */
    TestCerts leaf(final String name, final String ca) throws Exception {
        run("openssl", "req", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout", file(name + ".key").toString(),
            "-out", file(name + ".csr").toString(), "-subj", "/CN=" + name);
        run("openssl", "x509", "-req", "-sha256", "-days", "2", "-in", file(name + ".csr").toString(),
            "-CA", file(ca + ".crt").toString(), "-CAkey", file(ca + ".key").toString(), "-CAcreateserial",
            "-out", file(name + ".crt").toString());
        return this;
    }

    /** {name}.enc.key: the key encrypted with a pass phrase (PBES2, OpenSSL 3's default). */
    TestCerts encrypted(final String name, final String pass) throws Exception {
        run("openssl", "pkcs8", "-topk8", "-in", file(name + ".key").toString(), "-out",
            file(name + ".enc.key").toString(), "-passout", "pass:" + pass);
        return this;
    }

    /** {name}.rsa.key: the key as PKCS#1 ("BEGIN RSA PRIVATE KEY"). */
    TestCerts pkcs1(final String name) throws Exception {
        run("openssl", "rsa", "-in", file(name + ".key").toString(), "-traditional", "-out",
            file(name + ".rsa.key").toString());
        return this;
    }

    /**
     * {name}.crt / {name}.key whose validity ended two days ago, signed by a valid CA {name}-ca.crt
     * (keytool can back-date; the JDK checks the dates of a chain, not of its trust anchor).
     */
    TestCerts expired(final String name) throws Exception {
        final String ks = file(name + "-all.p12").toString();
        final String[] store = {"-keystore", ks, "-storepass", "secret", "-storetype", "PKCS12"};
        keytool(store, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname",
            "CN=" + name + "-ca", "-ext", "bc:c", "-validity", "2");
        keytool(store, "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name);
        keytool(store, "-certreq", "-alias", name, "-file", file(name + ".csr").toString());
        keytool(store, "-gencert", "-alias", "ca", "-infile", file(name + ".csr").toString(), "-outfile",
            file(name + ".crt").toString(), "-rfc", "-startdate", "-3d", "-validity", "1");
        keytool(store, "-exportcert", "-rfc", "-alias", "ca", "-file", file(name + "-ca.crt").toString());
        final String own = file(name + ".p12").toString();
        run("keytool", "-importkeystore", "-srckeystore", ks, "-srcstorepass", "secret", "-srcalias", name,
            "-destkeystore", own, "-deststorepass", "secret", "-deststoretype", "PKCS12");
        run("openssl", "pkcs12", "-in", own, "-nocerts", "-nodes", "-passin", "pass:secret",
            "-out", file(name + ".key").toString());
        return this;
    }

    private static void keytool(final String[] store, final String... args) throws Exception {
        final List<String> argv = new ArrayList<>(List.of("keytool"));
        argv.addAll(List.of(args));
        argv.addAll(List.of(store));
        run(argv.toArray(new String[0]));
    }

    /** The subject hash OpenSSL names CA directory entries by. */
    String subjectHash(final String name) throws Exception {
        return run("openssl", "x509", "-hash", "-noout", "-in", file(name + ".crt").toString()).trim();
    }

    static String run(final String... cmd) throws IOException, InterruptedException {
        final List<String> argv = new ArrayList<>(List.of(cmd));
        final Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + argv);
        }
        if (p.exitValue() != 0) {
            throw new IOException(argv + " failed: " + out);
        }
        return out;
    }
}
