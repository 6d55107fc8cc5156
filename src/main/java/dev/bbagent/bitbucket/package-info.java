/**
 * Bitbucket Cloud REST 2.0: a client ({@link dev.bbagent.bitbucket.BitbucketClient}, configured by
 * {@link dev.bbagent.bitbucket.BitbucketConfig#fromEnv}) with auth, pagination, error mapping, a per-credential
 * rate limiter and metrics, and the built-in toolset on top of it ({@link dev.bbagent.bitbucket.BitbucketTools}).
 */
package dev.bbagent.bitbucket;
