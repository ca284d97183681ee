package dev.lifecycle.activities.training;

import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.ModelRegistry;
import dev.lifecycle.activities.store.ModelVersion;
import dev.lifecycle.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A pretrained model named by its place in the model registry: {@code registry:<name>/<version>} (a
 * version number), {@code registry:<name>/latest} (the newest version, whatever its approval
 * status) or {@code registry:<name>/<alias>} (the version an alias such as {@code production}
 * points at). {@code latest} always means the newest version, even if an alias of that name exists.
 *
 * <pre>{@code
 * p.train("fine-tune", shifted.train()).pretrained("registry:fashion-base/latest").newHead();
 * }</pre>
 *
 * <p>The reference is resolved when the train step runs, so {@code latest} and aliases pick the
 * version current at that moment; the resolved version's name, number and sha256 are recorded as
 * the trained model's base model, and a retried attempt resumes its checkpoint only when it
 * resolves to the same weights.
 *
 * @param location the reference as written, e.g. {@code registry:fashion-base/latest}
 * @param name the registered model name
 * @param selector a version number, {@code latest}, or an alias
 */
public record RegistryReference(String location, String name, String selector) {

  /** The prefix that marks a registry reference. */
  public static final String SCHEME = "registry:";

  /** The selector of the newest version. */
  public static final String LATEST = "latest";

  /** Whether {@code location} is a registry reference rather than a path or URI. */
  public static boolean isReference(String location) {
    return location != null && location.startsWith(SCHEME);
  }

  /**
   * Parses {@code location}; fails with a non-retryable {@code INVALID_PLAN} naming {@code step}
   * when it is not of the form {@code registry:<name>/<version|latest|alias>}.
   */
  public static RegistryReference parse(String location, String step) {
    String rest = location.substring(SCHEME.length());
    int slash = rest.lastIndexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw invalidPlan(
          step,
          "pretrained model '"
              + location
              + "' is not a registry reference of the form registry:<name>/<version>,"
              + " registry:<name>/latest or registry:<name>/<alias>, e.g. registry:fashion-base/latest");
    }
    return new RegistryReference(location, rest.substring(0, slash), rest.substring(slash + 1));
  }

  /**
   * The registered version this reference names; fails with a non-retryable {@code INVALID_PLAN}
   * naming {@code step} and listing the registered models, or the model's versions, when there is
   * none.
   */
  public ModelVersion resolve(ModelRegistry registry, String step) {
    List<ModelVersion> versions = registry.list(name);
    if (versions.isEmpty()) {
      throw invalidPlan(
          step,
          "pretrained model '"
              + location
              + "' names model '"
              + name
              + "', which is not registered. Registered models: "
              + registry.names());
    }
    List<Integer> numbers = versions.stream().map(ModelVersion::version).toList();
    Optional<ModelVersion> found;
    String what;
    if (selector.equals(LATEST)) {
      found = registry.latest(name);
      what = "a latest version";
    } else if (selector.chars().allMatch(Character::isDigit)) {
      int version;
      try {
        version = Integer.parseInt(selector);
      } catch (NumberFormatException e) {
        throw invalidPlan(
            step,
            "pretrained model '"
                + location
                + "' names version "
                + selector
                + ", which is too large."
                + " Versions of '"
                + name
                + "': "
                + numbers);
      }
      found = registry.get(name, version);
      what = "version " + version;
    } else {
      found = registry.byAlias(name, selector);
      what = "version or alias '" + selector + "'";
    }
    return found.orElseThrow(
        () ->
            invalidPlan(
                step,
                "pretrained model '"
                    + location
                    + "': model '"
                    + name
                    + "' has no "
                    + what
                    + ". Its versions: "
                    + numbers
                    + "; refer to one of them, to "
                    + SCHEME
                    + name
                    + "/"
                    + LATEST
                    + ", or to an alias set on one of them"));
  }

  /** Resolves this reference and opens the version's model directory as a pretrained model. */
  PretrainedModel load(ModelRegistry registry, ArtifactStore artifacts, String step) {
    ModelVersion version = resolve(registry, step);
    Path dir = artifacts.resolve(version.artifact());
    return new PretrainedModel(
        "registry model '"
            + version.name()
            + "' version "
            + version.version()
            + " ("
            + location
            + ", sha256 "
            + version.artifactSha256()
            + ")",
        dir,
        ModelBundle.readMetadata(dir),
        version.artifactSha256());
  }

  private static ApplicationFailure invalidPlan(String step, String message) {
    return ApplicationFailure.newNonRetryableFailure(
        "Step '" + step + "': " + message, FailureTypes.INVALID_PLAN);
  }
}
