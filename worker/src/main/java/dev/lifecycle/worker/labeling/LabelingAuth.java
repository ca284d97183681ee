package dev.lifecycle.worker.labeling;

import dev.lifecycle.activities.labeling.LabelingRecords.Annotator;
import dev.lifecycle.activities.labeling.LabelingStore;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Who is calling: labelers send their annotator token, the admin the configured admin token, both
 * as {@code Authorization: Bearer <token>}. A missing or unknown token is 401.
 */
@Singleton
public class LabelingAuth {
  private final LabelingStore store;
  private final LabelingApiSettings settings;

  LabelingAuth(LabelingStore store, LabelingApiSettings settings) {
    this.store = store;
    this.settings = settings;
  }

  /** The annotator whose token {@code authorization} carries; 401 otherwise. */
  public Annotator labeler(String authorization) {
    return signIn(bearer(authorization));
  }

  /** The annotator whose token is {@code token}; 401 otherwise. */
  public Annotator signIn(String token) {
    if (token == null || token.isBlank()) {
      throw new LabelingApiException(
          HttpStatus.UNAUTHORIZED,
          "Sign in with your annotator token: send 'Authorization: Bearer <token>'",
          "token");
    }
    return store
        .authenticate(token.strip())
        .orElseThrow(
            () ->
                new LabelingApiException(
                    HttpStatus.UNAUTHORIZED,
                    "The token is not valid (unknown, or replaced by a newer one); ask your admin"
                        + " for a token",
                    "token"));
  }

  /** Passes when {@code authorization} carries the admin token; 401 otherwise. */
  public void admin(String authorization) {
    if (!settings.adminEnabled()) {
      throw new LabelingApiException(
          HttpStatus.UNAUTHORIZED,
          "The admin API is disabled: start the worker with LIFECYCLE_ADMIN_TOKEN set"
              + " (lifecycle.labeling.admin-token)",
          "token");
    }
    String token = bearer(authorization);
    if (token == null
        || !MessageDigest.isEqual(
            token.strip().getBytes(StandardCharsets.UTF_8),
            settings.adminToken().getBytes(StandardCharsets.UTF_8))) {
      throw new LabelingApiException(
          HttpStatus.UNAUTHORIZED,
          "The admin API needs 'Authorization: Bearer <admin token>' (LIFECYCLE_ADMIN_TOKEN)",
          "token");
    }
  }

  private static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.strip();
    if (value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
      return value.substring("bearer ".length()).strip();
    }
    return null;
  }
}
