package io.sluice.api.config;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GlobalSslTest {

    @Test
    void environmentVariablesStandInForUnsetSystemPropertiesOnly() {
        Properties props = new Properties();
        props.setProperty(GlobalSsl.KEYSTORE, "/from/property.jks");
        Map<String, String> env = Map.of("FLUME_SSL_KEYSTORE_PATH", "/from/env.jks",
                "FLUME_SSL_KEYSTORE_PASSWORD", "secret", "FLUME_SSL_EXCLUDE_PROTOCOLS", "TLSv1,TLSv1.1");
        GlobalSsl.init(env, props);
        assertThat(props.getProperty(GlobalSsl.KEYSTORE)).isEqualTo("/from/property.jks");
        assertThat(props.getProperty(GlobalSsl.KEYSTORE_PASSWORD)).isEqualTo("secret");
        assertThat(props.getProperty(GlobalSsl.EXCLUDE_PROTOCOLS)).isEqualTo("TLSv1,TLSv1.1");
        assertThat(props.getProperty(GlobalSsl.TRUSTSTORE)).isNull();
    }

    @Test
    void readsThePropertyThenTheEnvironmentVariable() {
        Properties props = new Properties();
        props.setProperty(GlobalSsl.TRUSTSTORE_TYPE, "PKCS12");
        Map<String, String> env = Map.of("FLUME_SSL_TRUSTSTORE_TYPE", "JKS", "FLUME_SSL_TRUSTSTORE_PATH", "/t.jks");
        assertThat(GlobalSsl.get(GlobalSsl.TRUSTSTORE_TYPE, env, props)).isEqualTo("PKCS12");
        assertThat(GlobalSsl.get(GlobalSsl.TRUSTSTORE, env, props)).isEqualTo("/t.jks");
        assertThat(GlobalSsl.get(GlobalSsl.KEYSTORE, env, props)).isNull();
    }

    @Test
    void listsAreCommaOrSpaceSeparatedAsInApacheFlume() {
        assertThat(GlobalSsl.split("TLSv1.2, TLSv1.3")).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(GlobalSsl.split("TLSv1 TLSv1.1")).containsExactly("TLSv1", "TLSv1.1");
        assertThat(GlobalSsl.split(" ")).isEqualTo(List.of());
        assertThat(GlobalSsl.split(null)).isNull();
    }
}
