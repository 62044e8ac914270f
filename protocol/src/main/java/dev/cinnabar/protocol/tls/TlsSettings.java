package dev.cinnabar.protocol.tls;

/**
 * The tls-* parameters of redis.conf that shape a TLS context, as plain values (empty string: not
 * set). The server's config table writes them; {@link TlsContexts} reads them.
 */
public final class TlsSettings {
    public String certFile = "";
    public String keyFile = "";
    public String keyFilePass = "";
    public String clientCertFile = "";
    public String clientKeyFile = "";
    public String clientKeyFilePass = "";
    public String caCertFile = "";
    public String caCertDir = "";
    public String dhParamsFile = "";
    /** "yes", "no" or "optional". */
    public String authClients = "yes";
    /** Space-separated "TLSv1.2 TLSv1.3"; empty: TLSv1.2 and TLSv1.3. */
    public String protocols = "";
    /** TLS 1.2 and older suites, OpenSSL's colon-separated names; empty: the JDK's defaults. */
    public String ciphers = "";
    /** TLS 1.3 suites, colon-separated; empty: the JDK's defaults. */
    public String ciphersuites = "";
    public boolean preferServerCiphers;
    public boolean sessionCaching = true;
    public long sessionCacheSize = 20480;
    public long sessionCacheTimeoutSeconds = 300;
}
