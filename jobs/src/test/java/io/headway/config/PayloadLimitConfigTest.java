package io.headway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headway.sink.OutputLimits;

import org.junit.jupiter.api.Test;

import java.util.Map;

/** validation.max-payload-bytes must fit what the late and dead-letter outputs can write whole. */
class PayloadLimitConfigTest {

    @Test
    void shouldDefaultToAPayloadLimitTheDefaultProducerCanCarry() {
        HeadwayConfig c = HeadwayConfig.of(Map.of("kafka.bootstrap-servers", "k:9092"), Map.of());

        assertThat(c.producerMaxRequestSize()).isEqualTo(1 << 20);
        assertThat(c.get(HeadwayConfig.VALIDATION_MAX_PAYLOAD_BYTES))
                .isEqualTo(OutputLimits.payloadLimit(1 << 20))
                .isEqualTo(983040);
    }

    @Test
    void shouldRefuseAPayloadLimitTheOutputsCannotCarryNamingTheKey() {
        assertThatThrownBy(
                        () -> HeadwayConfig.of(
                                Map.of("kafka.bootstrap-servers", "k:9092", "validation.max-payload-bytes", "1048576"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("validation.max-payload-bytes: is 1048576 but the late and dead-letter outputs carry at most 983040 bytes")
                .hasMessageContaining("kafka.producer.max.request.size");
    }

    @Test
    void shouldAcceptALargerPayloadLimitOnceTheProducerLimitIsRaised() {
        HeadwayConfig c =
                HeadwayConfig.of(
                        Map.of(
                                "kafka.bootstrap-servers", "k:9092",
                                "validation.max-payload-bytes", "1048576",
                                "kafka.producer.max.request.size", Integer.toString((1 << 20) + (64 << 10))),
                        Map.of());

        assertThat(c.get(HeadwayConfig.VALIDATION_MAX_PAYLOAD_BYTES)).isEqualTo(1 << 20);
    }

    @Test
    void shouldRefuseAProducerLimitTooSmallForTheDefaults() {
        assertThatThrownBy(
                        () -> HeadwayConfig.of(
                                Map.of(
                                        "kafka.bootstrap-servers", "k:9092",
                                        "kafka.producer.max.request.size", "500000",
                                        "dead-letter.max-payload-bytes", "100000"),
                                Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("validation.max-payload-bytes: is 983040 but the late and dead-letter outputs carry at most 434464 bytes");
    }
}
