package dev.bbagent.fake.bitbucket;

/** What a credential accepted by the fake may do. */
public enum Permission {
    /** GET only; any other method answers 403 with Bitbucket's missing-scope error. */
    READ,
    /** Everything. */
    WRITE
}
