package dev.bbagent.store;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Payload compression for stored deliveries. New payloads are Zstandard frames at level 1 ({@value #ENCODING}):
 * a 6.5 KB webhook body shrinks 5.1x in about 10 µs, where deflate took 18 µs for 4.9x and LZ4 5 µs for only
 * 3.7x. The ratio matters as much as the speed: a row that no longer fits two to a 4 KB page doubles the
 * bytes the writer thread writes per delivery (bench/README.md). Rows written before keep their
 * {@code deflate} encoding and still read back; the row's {@code payload_encoding} says which.
 */
public final class Payloads {

    public static final String ENCODING = "zstd";
    /** The encoding of rows written before Zstandard: raw deflate. */
    static final String DEFLATE = "deflate";
    private static final int LEVEL = 1;
    /**
     * Compression contexts for reuse: making one costs as much as compressing a webhook body. A context
     * serves one thread at a time; there are about as many as threads that compressed at the same moment.
     */
    private static final Queue<ZstdCompressCtx> CONTEXTS = new ConcurrentLinkedQueue<>();

    private Payloads() {}

    /**
     * SHA-256 of the event key, a newline and the body: the same for two deliveries of one event, whatever their
     * ids (see {@link DeliveryStore}).
     */
    public static byte[] fingerprint(String eventKey, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(eventKey.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            return sha.digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static byte[] compress(byte[] raw) {
        ZstdCompressCtx ctx = CONTEXTS.poll();
        if (ctx == null) {
            ctx = new ZstdCompressCtx();
            ctx.setLevel(LEVEL);
            ctx.setChecksum(true); // 4 bytes that turn a damaged row into an error instead of wrong JSON
        }
        try {
            return ctx.compress(raw);
        } finally {
            CONTEXTS.offer(ctx);
        }
    }

    /**
     * @param size the original length, stored beside the payload
     */
    public static byte[] decompress(byte[] packed, String encoding, int size) {
        return switch (encoding) {
            case ENCODING -> zstd(packed, size);
            case DEFLATE -> inflate(packed, size);
            default -> packed;
        };
    }

    private static byte[] zstd(byte[] packed, int size) {
        try {
            byte[] out = Zstd.decompress(packed, size);
            if (out.length != size) {
                throw new StoreException("stored payload is corrupt: it decodes to " + out.length + " bytes, not "
                        + size);
            }
            return out;
        } catch (ZstdException e) {
            throw new StoreException("stored payload is corrupt: " + e.getMessage(), e);
        }
    }

    private static byte[] inflate(byte[] packed, int size) {
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
