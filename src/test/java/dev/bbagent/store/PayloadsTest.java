package dev.bbagent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbagent.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** Stored payloads: new ones are Zstandard, rows written by older versions (deflate) still read back. */
class PayloadsTest {

    private final byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();

    @Test
    void aWebhookBodyRoundTripsAndShrinksSeveralTimes() {
        byte[] packed = Payloads.compress(body);

        assertThat(packed.length).isLessThan(body.length / 4);
        assertThat(Payloads.decompress(packed, Payloads.ENCODING, body.length)).isEqualTo(body);
    }

    @Test
    void manyThreadsCompressAtOnceWithoutMixingTheirOutput() throws Exception {
        byte[] other = Arrays.copyOf(body, body.length / 2);
        Thread[] threads = new Thread[8];
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < threads.length; t++) {
            byte[] mine = t % 2 == 0 ? body : other;
            threads[t] = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 200; i++) {
                    if (!Arrays.equals(Payloads.decompress(Payloads.compress(mine), Payloads.ENCODING, mine.length), mine)) {
                        wrong.incrementAndGet();
                    }
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(wrong).hasValue(0);
    }

    @Test
    void aRowFromAnOlderVersionInDeflateStillReadsBack() {
        Deflater d = new Deflater(Deflater.BEST_SPEED, true);
        d.setInput(body);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();

        assertThat(Payloads.decompress(out.toByteArray(), "deflate", body.length)).isEqualTo(body);
    }

    @Test
    void aCorruptPayloadIsAStoreErrorThatSaysSo() {
        byte[] packed = Payloads.compress(body);
        packed[packed.length / 2] ^= 0x5a;
        packed[packed.length / 2 + 1] ^= 0x5a;

        assertThatThrownBy(() -> Payloads.decompress(packed, Payloads.ENCODING, body.length))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("corrupt");
    }
}
