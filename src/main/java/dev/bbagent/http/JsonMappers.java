package dev.bbagent.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Jackson mappers for code that runs on virtual threads (every HTTP request does). Jackson's default
 * buffer pool is per thread, and Jetty starts a new virtual thread per request, so each parse or write
 * allocated fresh read and write buffers (kilobytes, zeroed). These mappers share a concurrent pool instead.
 */
public final class JsonMappers {

    private JsonMappers() {}

    /** A plain {@link ObjectMapper} with its own factory and a buffer pool shared across threads. */
    public static ObjectMapper create() {
        return new ObjectMapper(JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build());
    }
}
