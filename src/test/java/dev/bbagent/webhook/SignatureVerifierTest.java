package dev.bbagent.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.testing.Fixtures;
import dev.bbagent.webhook.SignatureVerifier.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private final byte[] signedBody = Fixtures.named(Fixtures.SIGNED_FILE).bytes();

    @Test
    void theRealSignedCloudDeliveryVerifies() {
        var verifier = new SignatureVerifier(List.of(Fixtures.SIGNED_SECRET), false);

        assertThat(signedBody).hasSize(14515);
        assertThat(verifier.verify(Fixtures.SIGNED_HEADER, signedBody)).isEqualTo(Result.VALID);
        assertThat(SignatureVerifier.sign(Fixtures.SIGNED_SECRET, signedBody)).isEqualTo(Fixtures.SIGNED_HEADER);
    }

    @Test
    void theDocumentedTestVectorSigns() {
        assertThat(SignatureVerifier.sign("It's a Secret to Everybody", "Hello World!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9");
    }

    @Test
    void upperCaseHexAndPrefixAreAccepted() {
        var verifier = new SignatureVerifier(List.of(Fixtures.SIGNED_SECRET), false);

        assertThat(verifier.verify(Fixtures.SIGNED_HEADER.toUpperCase(), signedBody)).isEqualTo(Result.VALID);
    }

    @Test
    void aSecondSecretVerifiesDuringRotation() {
        var verifier = new SignatureVerifier(List.of("new-secret", Fixtures.SIGNED_SECRET), false);

        assertThat(verifier.verify(Fixtures.SIGNED_HEADER, signedBody)).isEqualTo(Result.VALID);
        assertThat(verifier.verify(SignatureVerifier.sign("new-secret", signedBody), signedBody)).isEqualTo(Result.VALID);
    }

    @Test
    void aWrongSecretOrAChangedBodyIsAMismatch() {
        var verifier = new SignatureVerifier(List.of("other"), false);
        byte[] changed = signedBody.clone();
        changed[100] ^= 1;

        assertThat(verifier.verify(Fixtures.SIGNED_HEADER, signedBody)).isEqualTo(Result.MISMATCH);
        assertThat(new SignatureVerifier(List.of(Fixtures.SIGNED_SECRET), false).verify(Fixtures.SIGNED_HEADER, changed))
                .isEqualTo(Result.MISMATCH);
        assertThat(verifier.verify("sha256=not-hex", signedBody)).isEqualTo(Result.MISMATCH);
    }

    @Test
    void aMissingHeaderIsRejectedWhenASecretIsSet() {
        var verifier = new SignatureVerifier(List.of("s"), true);

        assertThat(verifier.verify(null, signedBody)).isEqualTo(Result.MISSING);
        assertThat(verifier.verify("  ", signedBody)).isEqualTo(Result.MISSING);
    }

    @Test
    void otherAlgorithmsAreRefused() {
        var verifier = new SignatureVerifier(List.of("s"), false);

        assertThat(verifier.verify("sha1=abcdef", signedBody)).isEqualTo(Result.UNSUPPORTED_ALGORITHM);
        assertThat(verifier.verify("abcdef", signedBody)).isEqualTo(Result.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void withoutSecretsOnlyAnExplicitOptInAcceptsUnsignedDeliveries() {
        assertThat(new SignatureVerifier(List.of(), true).verify(null, signedBody)).isEqualTo(Result.UNSIGNED_ALLOWED);
        assertThat(new SignatureVerifier(List.of(), false).verify(Fixtures.SIGNED_HEADER, signedBody)).isEqualTo(Result.MISSING);
    }
}
