package io.sluice.cli.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void ratesFillErrorsRollbacksAndLatencyPerComponent() throws Exception {
        JsonNode before = json("{'SOURCE.r1':{'EventReceivedCount':'100','EventAcceptedCount':'90'},"
                + "'CHANNEL.c1':{'EventPutSuccessCount':'90','EventTakeSuccessCount':'0','ChannelFillPercentage':'9.0',"
                + "'ChannelSize':'90','EventPutAttemptCount':'95'},"
                + "'SINK.k1':{'EventDrainAttemptCount':'0','EventDrainSuccessCount':'0'},"
                + "'CHANNEL_PROCESSOR.r1':{'OptionalChannelWriteFail':'0'}}");
        JsonNode now = json("{'SOURCE.r1':{'EventReceivedCount':'300','EventAcceptedCount':'280','ChannelWriteFail':'2'},"
                + "'CHANNEL.c1':{'EventPutSuccessCount':'280','EventTakeSuccessCount':'100','ChannelFillPercentage':'18.0',"
                + "'ChannelSize':'180','EventPutAttemptCount':'290','PutCommitLatencyP99Ms':'1.5',"
                + "'TakeCommitLatencyP99Ms':'0.7'},"
                + "'SINK.k1':{'EventDrainAttemptCount':'110','EventDrainSuccessCount':'100','EventWriteFail':'1',"
                + "'BatchLatencyP99Ms':'12','EndToEndLatencyP99Ms':'40'},"
                + "'CHANNEL_PROCESSOR.r1':{'OptionalChannelWriteFail':'0'}}");
        List<TopTable.Row> rows = TopTable.rows(before, now, 2.0);
        assertThat(rows).extracting(TopTable.Row::name).containsExactly("r1", "c1", "k1");
        TopTable.Row source = rows.get(0);
        assertThat(source.inPerSecond()).isEqualTo(100.0);
        assertThat(source.outPerSecond()).isEqualTo(95.0);
        assertThat(source.errors()).isEqualTo(2);
        assertThat(source.rollbacks()).isEqualTo(20);
        TopTable.Row channel = rows.get(1);
        assertThat(channel.fillPercent()).isEqualTo(18.0);
        assertThat(channel.size()).isEqualTo(180);
        assertThat(channel.rollbacks()).isEqualTo(10);
        assertThat(channel.commitP99()).isEqualTo("1.5/0.7");
        TopTable.Row sink = rows.get(2);
        assertThat(sink.outPerSecond()).isEqualTo(50.0);
        assertThat(sink.rollbacks()).isEqualTo(10);
        assertThat(sink.commitP99()).isEqualTo("12");
        assertThat(sink.endToEndP99()).isEqualTo("40");
        String table = TopTable.render(rows);
        assertThat(table.lines().toList()).hasSize(4);
        assertThat(table.lines().toList().get(0)).startsWith("KIND").contains("IN/s", "OUT/s", "FILL%", "ERRORS",
                "ROLLBACKS", "COMMIT_P99_MS", "E2E_P99_MS");
        assertThat(table).contains("1.5/0.7");
    }

    @Test
    void latencyNotReportedIsADashAndTheFirstSampleHasNoRates() throws Exception {
        JsonNode now = json("{'CHANNEL.c1':{'EventPutSuccessCount':'5'},'SINK.k1':{'EventDrainSuccessCount':'5'}}");
        List<TopTable.Row> rows = TopTable.rows(null, now, 1.0);
        assertThat(rows.get(0).commitP99()).isEqualTo("-");
        assertThat(rows.get(1).commitP99()).isEqualTo("-");
        assertThat(rows.get(1).endToEndP99()).isEqualTo("-");
        assertThat(rows.get(0).inPerSecond()).isNull();
        assertThat(TopTable.render(rows).lines().toList().get(1).split("\\s+")).contains("-");
    }

    @Test
    void textFormatShowsHeadersAndAPreview() throws Exception {
        assertThat(TapCommand.text(json("{'component':'r1','kind':'source','headers':{'host':'h'},'body':'a\\nb',"
                + "'bodySize':900,'truncated':true}"))).isEqualTo("[source r1] {host=h} a\\nb ... (900 bytes)");
        assertThat(TapCommand.text(json("{'component':'k1','kind':'sink','headers':{},'bodyBase64':'AAE=',"
                + "'bodySize':2,'truncated':false}"))).isEqualTo("[sink k1] {} base64:AAE=");
    }
}
