package dev.cinnabar.protocol.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PEM files as OpenSSL writes them, read with the JDK alone: certificate chains, private keys
 * (PKCS#8, PKCS#8 encrypted with a pass phrase, PKCS#1 "RSA PRIVATE KEY") and CA directories laid
 * out by {@code openssl rehash} (files named {@code 1a2b3c4d.0}). Shared by the CLI's TLS options and
 * the server's TLS contexts.
 */
public final class PemFiles {
    private static final Pattern PEM = Pattern.compile(
        "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s:,-]+)-----END \\1-----");
    private static final Pattern HASHED_NAME = Pattern.compile("[0-9a-f]{8}\\.[0-9]+");

    private PemFiles() {
    }

    /** Every certificate of a PEM (or DER) file, in file order; empty when there is none. */
    public static List<X509Certificate> certificates(final Path file) throws IOException, GeneralSecurityException {
        return certificates(Files.readAllBytes(file));
    }

    public static List<X509Certificate> certificates(final byte[] pem) throws GeneralSecurityException {
        final CertificateFactory cf = CertificateFactory.getInstance("X.509");
        final List<X509Certificate> certs = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(pem)) {
            for (final Certificate c : cf.generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return certs;
    }

    /** The first private key of a PEM file; {@code password} (may be null or empty) opens an encrypted one. */
    public static PrivateKey privateKey(final Path file, final String password)
        throws IOException, GeneralSecurityException {
        return privateKey(Files.readString(file, StandardCharsets.ISO_8859_1), password);
    }

    public static PrivateKey privateKey(final String pem, final String password) throws GeneralSecurityException {
        final Matcher m = PEM.matcher(pem);
        while (m.find()) {
            final String body = m.group(2);
            switch (m.group(1)) {
                case "PRIVATE KEY":
                    return pkcs8(der(body));
                case "ENCRYPTED PRIVATE KEY":
                    return pkcs8(decrypt(der(body), password));
                case "RSA PRIVATE KEY":
                    if (body.contains("Proc-Type:")) {
                        throw new GeneralSecurityException("legacy encrypted RSA keys are not supported, "
                            + "convert with: openssl pkcs8 -topk8");
                    }
                    return KeyFactory.getInstance("RSA").generatePrivate(
                        new PKCS8EncodedKeySpec(rsaPkcs1ToPkcs8(der(body))));
                default:
                    continue;
            }
        }
        throw new GeneralSecurityException("no PKCS#8 or RSA private key found in the key file");
    }

    /** Whether the private key belongs to the public key: a signature made with one verifies with the other. */
    public static boolean keyMatches(final PrivateKey key, final PublicKey pub) throws GeneralSecurityException {
        if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
            return false;
        }
        final String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm();
        };
        final byte[] probe = "cinnabar key check".getBytes(StandardCharsets.US_ASCII);
        final Signature signer = Signature.getInstance(alg);
        signer.initSign(key);
        signer.update(probe);
        final byte[] sig = signer.sign();
        final Signature verifier = Signature.getInstance(alg);
        verifier.initVerify(pub);
        verifier.update(probe);
        return verifier.verify(sig);
    }

    /** The certificates OpenSSL would find in a CA directory: only files named by subject hash. */
    public static List<X509Certificate> hashedDirectory(final Path dir) throws IOException {
        final List<X509Certificate> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (final Path p : (Iterable<Path>) files::iterator) {
                if (HASHED_NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                    try {
                        found.addAll(certificates(Files.readAllBytes(p)));
                    } catch (GeneralSecurityException e) {
                        continue;
                    }
                }
            }
        }
        return found;
    }

    private static byte[] der(final String body) {
        return Base64.getMimeDecoder().decode(body);
    }

    private static PrivateKey pkcs8(final byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (final String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448", "DSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /** PKCS#8 EncryptedPrivateKeyInfo (PBES2 as OpenSSL 3 writes it, or the older PBE schemes). */
    private static byte[] decrypt(final byte[] der, final String password) throws GeneralSecurityException {
        if (password == null || password.isEmpty()) {
            throw new GeneralSecurityException("the private key is encrypted and no pass phrase was given");
        }
        try {
            final EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            final String alg = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
            final SecretKeyFactory skf = SecretKeyFactory.getInstance(alg);
            final Cipher cipher = Cipher.getInstance(alg);
            cipher.init(Cipher.DECRYPT_MODE, skf.generateSecret(new PBEKeySpec(password.toCharArray())),
                info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (IOException e) {
            throw new GeneralSecurityException("unreadable encrypted private key", e);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException("cannot decrypt the private key (wrong pass phrase?)", e);
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, NULL parameters). */
    private static byte[] rsaPkcs1ToPkcs8(final byte[] pkcs1) {
        final byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
            0x01, 0x01, 0x01, 0x05, 0x00};
        final byte[] version = {0x02, 0x01, 0x00};
        final byte[] octets = derTlv(0x04, pkcs1);
        final byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return derTlv(0x30, body);
    }

    private static byte[] derTlv(final int tag, final byte[] content) {
        final int n = content.length;
        final byte[] len;
        if (n < 0x80) {
            len = new byte[] {(byte) n};
        } else if (n < 0x100) {
            len = new byte[] {(byte) 0x81, (byte) n};
        } else if (n < 0x10000) {
            len = new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        } else {
            len = new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
        final byte[] out = new byte[1 + len.length + n];
        out[0] = (byte) tag;
        System.arraycopy(len, 0, out, 1, len.length);
        System.arraycopy(content, 0, out, 1 + len.length, n);
        return out;
    }
}
