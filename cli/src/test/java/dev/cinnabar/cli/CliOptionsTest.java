package dev.cinnabar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line of redis-cli 7.0.15. Messages and exit codes were taken from the real redis-cli: an option
 * without its value or an unknown option is "Unrecognized option or bad number of args for: '<option>'" (exit 1),
 * numbers are read like C's atoi ("7601x" is 7601, "abc" is 0), options stop at the first word not starting with '-'.
 */
class CliOptionsTest {
    private static CliOptions parse(final String... argv) throws CliOptions.UsageException {
        return CliOptions.parse(argv);
    }

    @Test
    void defaults() throws Exception {
        final CliOptions o = parse();
        assertThat(o.host).isEqualTo("127.0.0.1");
        assertThat(o.port).isEqualTo(6379);
        assertThat(o.db).isZero();
        assertThat(o.resp).isEqualTo(2);
        assertThat(o.repeat).isEqualTo(1);
        assertThat(o.raw).isNull();
        assertThat(o.special).isEqualTo(CliOptions.Special.NONE);
        assertThat(o.bulkDelimiter).containsExactly('\n');
        assertThat(o.command).isEmpty();
    }

    @Test
    void connectionOptions() throws Exception {
        final CliOptions o = parse("-h", "10.0.0.1", "-p", "7000", "-s", "/tmp/r.sock", "-n", "3", "--user", "bob",
            "-a", "secret", "-c", "get", "k");
        assertThat(o.host).isEqualTo("10.0.0.1");
        assertThat(o.port).isEqualTo(7000);
        assertThat(o.socket).isEqualTo("/tmp/r.sock");
        assertThat(o.db).isEqualTo(3);
        assertThat(o.user).isEqualTo("bob");
        assertThat(o.password).isEqualTo("secret");
        assertThat(o.passwordOnCommandLine).isTrue();
        assertThat(o.cluster).isTrue();
        assertThat(o.command).containsExactly("get", "k");
        assertThat(parse("--pass", "pw").password).isEqualTo("pw");
    }

    @Test
    void numbersAreReadLikeAtoi() throws Exception {
        assertThat(parse("-p", "7601x").port).isEqualTo(7601);
        assertThat(parse("-p", "abc").port).isZero();
        assertThat(parse("-n", " 12").db).isEqualTo(12);
        assertThat(parse("-r", "-1x").repeat).isEqualTo(-1);
        assertThat(parse("-i", "0.25s").interval).isEqualTo(0.25);
        assertThat(parse("-i", "1e-1").interval).isEqualTo(0.1);
        assertThat(parse("-i", "x").interval).isZero();
    }

    @Test
    void outputOptions() throws Exception {
        assertThat(parse("--raw").raw).isTrue();
        assertThat(parse("--no-raw").raw).isFalse();
        assertThat(parse("--csv").csv).isTrue();
        assertThat(parse("-d", ",").bulkDelimiter).containsExactly(',');
        assertThat(parse("-D", "||").replyDelimiter).containsExactly('|', '|');
        assertThat(parse("--show-pushes", "no").showPushes).isFalse();
        assertThat(parse("--show-pushes", "yes").showPushes).isTrue();
    }

    @Test
    void commandOptions() throws Exception {
        final CliOptions o = parse("-r", "5", "-i", "0.1", "-e", "-x", "--quoted-input", "-3", "set", "k");
        assertThat(o.repeat).isEqualTo(5);
        assertThat(o.interval).isEqualTo(0.1);
        assertThat(o.exitOnError).isTrue();
        assertThat(o.stdinLastArg).isTrue();
        assertThat(o.quotedInput).isTrue();
        assertThat(o.resp).isEqualTo(3);
        assertThat(parse("-X", "TAG", "restore", "k", "0", "TAG").stdinTag).isEqualTo("TAG");
        assertThat(parse("-2").resp).isEqualTo(2);
    }

    @Test
    void authOptions() throws Exception {
        final CliOptions ask = parse("-a", "ignored", "--askpass");
        assertThat(ask.askPass).isTrue();
        assertThat(ask.password).as("--askpass ignores -a").isNull();
        assertThat(parse("--no-auth-warning").noAuthWarning).isTrue();
    }

    @Test
    void tlsOptions() throws Exception {
        final CliOptions o = parse("--tls", "--cacert", "ca.crt", "--cacertdir", "certs", "--cert", "c.crt", "--key",
            "c.key", "--insecure", "--sni", "example.com", "--tls-ciphers", "A:B", "--tls-ciphersuites", "C");
        assertThat(o.tls).isTrue();
        assertThat(o.caCert).isEqualTo("ca.crt");
        assertThat(o.caCertDir).isEqualTo("certs");
        assertThat(o.cert).isEqualTo("c.crt");
        assertThat(o.key).isEqualTo("c.key");
        assertThat(o.insecure).isTrue();
        assertThat(o.sni).isEqualTo("example.com");
        assertThat(o.tlsCiphers).isEqualTo("A:B");
        assertThat(o.tlsCiphersuites).isEqualTo("C");
    }

    @Test
    void modes() throws Exception {
        assertThat(parse("--pipe", "--pipe-timeout", "5").special).isEqualTo(CliOptions.Special.PIPE);
        assertThat(parse("--pipe", "--pipe-timeout", "5").pipeTimeoutSec).isEqualTo(5);
        final CliOptions scan = parse("--scan", "--pattern", "user:*", "--count", "100");
        assertThat(scan.special).isEqualTo(CliOptions.Special.SCAN);
        assertThat(new String(scan.pattern, StandardCharsets.US_ASCII)).isEqualTo("user:*");
        assertThat(scan.scanCount).isEqualTo(100);
        assertThat(parse("--quoted-pattern", "\"a\\x00*\"").pattern).containsExactly('a', 0, '*');
        assertThat(parse("--bigkeys").special).isEqualTo(CliOptions.Special.BIGKEYS);
        assertThat(parse("--memkeys").special).isEqualTo(CliOptions.Special.MEMKEYS);
        assertThat(parse("--memkeys-samples", "10").memkeysSamples).isEqualTo(10);
        assertThat(parse("--hotkeys").special).isEqualTo(CliOptions.Special.HOTKEYS);
        assertThat(parse("--stat").special).isEqualTo(CliOptions.Special.STAT);
        assertThat(parse("--latency").special).isEqualTo(CliOptions.Special.LATENCY);
        assertThat(parse("--latency-history").special).isEqualTo(CliOptions.Special.LATENCY_HISTORY);
        assertThat(parse("--latency-dist").special).isEqualTo(CliOptions.Special.LATENCY_DIST);
        assertThat(parse("--intrinsic-latency", "3").intrinsicSeconds).isEqualTo(3);
        assertThat(parse("--rdb", "dump.rdb").rdbFile).isEqualTo("dump.rdb");
        assertThat(parse("--functions-rdb", "f.rdb").special).isEqualTo(CliOptions.Special.FUNCTIONS_RDB);
        assertThat(parse("--replica").special).isEqualTo(CliOptions.Special.REPLICA);
        assertThat(parse("--slave").special).isEqualTo(CliOptions.Special.REPLICA);
        final CliOptions eval = parse("--eval", "s.lua", "k1", "k2", ",", "a1");
        assertThat(eval.special).isEqualTo(CliOptions.Special.EVAL);
        assertThat(eval.evalFile).isEqualTo("s.lua");
        assertThat(eval.command).containsExactly("k1", "k2", ",", "a1");
        assertThat(parse("--help").special).isEqualTo(CliOptions.Special.HELP);
        assertThat(parse("--version").special).isEqualTo(CliOptions.Special.VERSION);
        assertThat(parse("-v").special).isEqualTo(CliOptions.Special.VERSION);
    }

    @Test
    void optionsStopAtTheFirstWord() throws Exception {
        final CliOptions o = parse("-p", "7000", "echo", "-n", "5");
        assertThat(o.db).isZero();
        assertThat(o.command).containsExactly("echo", "-n", "5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", "-p", "-s", "-a", "--user", "--pass", "-u", "-r", "-i", "-n", "-X", "-d", "-D",
        "--sni", "--cacert", "--cacertdir", "--cert", "--key", "--tls-ciphers", "--tls-ciphersuites", "--show-pushes",
        "--rdb", "--functions-rdb", "--pipe-timeout", "--memkeys-samples", "--pattern", "--quoted-pattern",
        "--count", "--eval", "--intrinsic-latency", "--bogus", "-"})
    void anOptionWithoutItsValueOrUnknownIsRejected(final String option) {
        assertThatThrownBy(() -> parse(option)).isInstanceOf(CliOptions.UsageException.class)
            .hasMessage("Unrecognized option or bad number of args for: '" + option + "'");
    }

    @Test
    void resp2AndResp3AreExclusive() {
        assertThatThrownBy(() -> parse("-3", "-2", "hello")).hasMessage("Options -2 and -3 are mutually exclusive.");
    }

    @Test
    void invalidQuotedPattern() {
        assertThatThrownBy(() -> parse("--quoted-pattern", "\"abc", "--scan"))
            .hasMessage("Invalid quoted string specified for --quoted-pattern.");
    }

    @Test
    void uriWithEverything() throws Exception {
        final CliOptions o = parse("-u", "redis://us%41r:p%2fss@example.com:7000/4");
        assertThat(o.user).isEqualTo("usAr");
        assertThat(o.password).isEqualTo("p/ss");
        assertThat(o.passwordOnCommandLine).isTrue();
        assertThat(o.host).isEqualTo("example.com");
        assertThat(o.port).isEqualTo(7000);
        assertThat(o.db).isEqualTo(4);
        assertThat(o.tls).isFalse();
    }

    @Test
    void uriVariants() throws Exception {
        final CliOptions passwordOnly = parse("-u", "redis://pw@h");
        assertThat(passwordOnly.user).isNull();
        assertThat(passwordOnly.password).isEqualTo("pw");
        assertThat(passwordOnly.port).isEqualTo(6379);
        final CliOptions emptyUser = parse("-u", "redis://:pw@h:1");
        assertThat(emptyUser.user).as("an empty user name is sent as such").isEmpty();
        assertThat(emptyUser.password).isEqualTo("pw");
        final CliOptions noAuth = parse("-u", "REDIS://h:2/");
        assertThat(noAuth.password).isNull();
        assertThat(noAuth.passwordOnCommandLine).isFalse();
        assertThat(noAuth.host).isEqualTo("h");
        assertThat(noAuth.port).isEqualTo(2);
        assertThat(parse("-u", "rediss://h").tls).isTrue();
        assertThat(parse("-u", "redis://a@b@h").host).as("the first '@' ends the credentials").isEqualTo("b@h");
        assertThat(parse("-u", "redis:///5").db).isEqualTo(5);
        assertThat(parse("-u", "redis://:7000").host).isEmpty();
        final CliOptions bracket = parse("-u", "redis://[::1]:7000");
        assertThat(bracket.host).as("no IPv6 literals, as in redis-cli 7.0").isEqualTo("[");
        assertThat(bracket.port).isZero();
        assertThat(parse("-u", "redis://h:1", "-n", "2").db).as("a later -n wins").isEqualTo(2);
    }

    @Test
    void uriErrors() {
        assertThatThrownBy(() -> parse("-u", "http://x")).hasMessage("Invalid URI scheme");
        assertThatThrownBy(() -> parse("-u", "redis://u:p%zz@h")).hasMessage("Illegal character in URI encoding");
        assertThatThrownBy(() -> parse("-u", "redis://u:p%4@h")).hasMessage("Illegal character in URI encoding");
        assertThatThrownBy(() -> parse("-u", "redis://u:p%@h")).hasMessage("Incomplete URI encoding");
    }

    @Test
    void usageErrorsGoToStderrWithExitCode1() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = Main.run(new String[] {"--bogus"}, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(1);
        assertThat(out.size()).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8))
            .isEqualTo("Unrecognized option or bad number of args for: '--bogus'\n");
    }

    @Test
    void versionGoesToStdoutAndHelpToStderr() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(Main.run(new String[] {"--version"}, out, errStream)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("cinnabar-cli 7.0.15\n");
        assertThat(Main.run(new String[] {"--help"}, out, errStream)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("cinnabar-cli 7.0.15\n\nUsage: cinnabar-cli ")
            .contains("--askpass", "--quoted-input", "--latency-dist", "--rdb <filename>", "--eval <file>");
    }
}
