package io.sluice.kafka.sink;

import io.sluice.kafka.KafkaClientProperties;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What went wrong on the exactly-once sink's transactional path, for a log line or an exception:
 * one sentence naming the broker, the transactional id and the setting involved, and what to change.
 * The plain path's failures (login, TLS) are worded by {@link KafkaClientProperties#explain}; this
 * adds the failures only transactions have: a producer fenced by another with the same id, a
 * transaction the broker aborted (timeout), a cluster whose transaction coordinator cannot start
 * (its {@code __transaction_state} topic asks for more replicas than there are brokers), missing
 * ACLs and brokers without transactions. Stateless and thread-safe.
 */
final class TransactionFailures {
    /** Where the failure happened: starting transactions, or running one batch's transaction. */
    enum Stage {
        INIT,
        TRANSACTION
    }

    private static final String PREFIX = KafkaClientProperties.PRODUCER_PREFIX;
    private static final String DEFAULT_MAX_BLOCK_MS = "60000";
    private static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "60000";

    private TransactionFailures() {
    }

    /**
     * @param failure what the producer threw
     * @param stage where it was thrown
     * @param producer the producer's properties, as the sink's configuration built them
     */
    static String explain(Throwable failure, Stage stage, Map<String, Object> producer) {
        String id = String.valueOf(producer.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
        String where = "Kafka at " + producer.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException) {
                return "another producer with transactional.id '" + id + "' started after this one and fenced it ("
                        + t.getMessage() + "): a second agent, or a second copy of this one, runs with the same id."
                        + " Give every running agent its own " + PREFIX + ProducerConfig.TRANSACTIONAL_ID_CONFIG
                        + "; this sink makes a new producer and retries the batch, which fences the other one in"
                        + " turn, so two agents sharing an id keep failing each other";
            }
            if (t instanceof InvalidTxnStateException || t instanceof InvalidProducerEpochException
                    || t instanceof TransactionAbortableException) {
                return where + " ended the transaction of transactional.id '" + id + "' before it committed ("
                        + t.getMessage() + "): most often it stayed open longer than " + PREFIX
                        + ProducerConfig.TRANSACTION_TIMEOUT_CONFIG + " (now "
                        + setting(producer, ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS)
                        + " ms) and the broker aborted it, or another producer with the same id started. Raise "
                        + PREFIX + ProducerConfig.TRANSACTION_TIMEOUT_CONFIG + " (at most the broker's"
                        + " transaction.max.timeout.ms, 900000 by default) or lower flumeBatchSize, and give every"
                        + " agent its own " + PREFIX + ProducerConfig.TRANSACTIONAL_ID_CONFIG
                        + "; nothing of the batch was committed and it is retried";
            }
            if (t instanceof TransactionalIdAuthorizationException) {
                return where + " does not allow transactional.id '" + id + "' (" + t.getMessage() + "): the"
                        + " principal needs WRITE and DESCRIBE on TransactionalId '" + id + "'. Grant them, or set "
                        + PREFIX + ProducerConfig.TRANSACTIONAL_ID_CONFIG + " to an id it may use";
            }
            if (t instanceof GroupAuthorizationException) {
                return where + " does not let transactional.id '" + id + "' commit the source's offsets ("
                        + t.getMessage() + "): the principal needs READ on the Kafka source's consumer group."
                        + " Grant it, or set kafka.exactlyOnce = false";
            }
            if (t instanceof UnsupportedVersionException) {
                return where + " does not support transactions (" + t.getMessage() + "): exactly-once needs"
                        + " brokers of Kafka 2.5 or later. Upgrade the brokers, or set kafka.exactlyOnce = false";
            }
            if (t instanceof TimeoutException && stage == Stage.INIT) {
                return where + " gave transactional.id '" + id + "' no producer id within " + PREFIX
                        + ProducerConfig.MAX_BLOCK_MS_CONFIG + " (now "
                        + setting(producer, ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_MAX_BLOCK_MS) + " ms): its"
                        + " transaction coordinator is not available (" + t.getMessage() + "). A cluster answers so"
                        + " when it cannot create its __transaction_state topic: the brokers'"
                        + " transaction.state.log.replication.factor (3 by default) or transaction.state.log.min.isr"
                        + " is larger than the number of brokers. Lower them to at most the number of brokers (or"
                        + " add brokers), or set kafka.exactlyOnce = false";
            }
            if (t instanceof TimeoutException) {
                return where + " did not complete the transaction of transactional.id '" + id + "' in time ("
                        + t.getMessage() + "); check that the brokers and the transaction coordinator are reachable"
                        + " (" + PREFIX + ProducerConfig.MAX_BLOCK_MS_CONFIG + " is now "
                        + setting(producer, ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_MAX_BLOCK_MS) + " ms); the"
                        + " batch is retried";
            }
        }
        return KafkaClientProperties.explain(failure, PREFIX, producer);
    }

    private static String setting(Map<String, Object> producer, String name, String byDefault) {
        Object v = producer.get(name);
        return v == null ? byDefault : v.toString();
    }
}
