package dev.cinnabar.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void nettyDefaultsApplyOnlyWhereTheCommandLineSaidNothing() {
        final Properties unset = new Properties();
        Main.nettyDefaults(unset);
        assertThat(unset.getProperty("io.netty.jfr.enabled")).isEqualTo("false");

        final Properties given = new Properties();
        given.setProperty("io.netty.jfr.enabled", "true");
        Main.nettyDefaults(given);
        assertThat(given.getProperty("io.netty.jfr.enabled")).isEqualTo("true");
    }
}
