package dev.bbagent.store;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Payload compression: raw deflate at the fastest level (a 7 KB webhook body shrinks about 4x). */
public final class Payloads {

    public static final String ENCODING = "deflate";

    private Payloads() {}

    public static byte[] compress(byte[] raw) {
        Deflater d = new Deflater(Deflater.BEST_SPEED, true);
        try {
            d.setInput(raw);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 3));
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    public static byte[] decompress(byte[] packed, String encoding, int size) {
        if (!ENCODING.equals(encoding)) {
            return packed;
        }
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(packed);
            byte[] out = new byte[size];
            int n = 0;
            while (n < size && !inf.finished()) {
                n += inf.inflate(out, n, size - n);
            }
            return out;
        } catch (DataFormatException e) {
            throw new StoreException("stored payload is corrupt: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }
}
