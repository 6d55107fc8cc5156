/**
 * A fake Bitbucket Cloud for tests and {@code bbagent demo}: an in-memory model served over real HTTP with
 * the documented REST 2.0 shapes, pagination, errors, rate limits, and webhook delivery signed and retried
 * the way Bitbucket does it. Start with {@link dev.bbagent.fake.bitbucket.FakeBitbucket}.
 */
package dev.bbagent.fake.bitbucket;
