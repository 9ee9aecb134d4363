package io.headway.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.headway.schema.AccountSignal;
import io.headway.schema.Alert;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** Alert records and signals are Avro; the alert state is POJOs, without Kryo. */
class AlertSerializationTest {

    @Test
    void shouldSerializeAlertRecordsAndSignalsWithAvro() {
        assertThat(TypeInformation.of(Alert.class)).isInstanceOf(AvroTypeInfo.class);
        assertThat(TypeInformation.of(AccountSignal.class)).isInstanceOf(AvroTypeInfo.class);
    }

    @Test
    void shouldSerializeTheAlertStateAsPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(AlertEntry.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(AlertContext.class);
        ExecutionConfig config = new ExecutionConfig();
        ((SerializerConfigImpl) config.getSerializerConfig()).setGenericTypes(false);
        AlertFunction.ENTRIES.initializeSerializerUnlessSet(config);
        AlertFunction.CONTEXT.initializeSerializerUnlessSet(config);
        assertThat(AlertFunction.ENTRIES.getSerializer().toString()).doesNotContain("Kryo");
        assertThat(AlertFunction.CONTEXT.getSerializer().getClass().getName()).doesNotContain("Kryo");
    }
}
