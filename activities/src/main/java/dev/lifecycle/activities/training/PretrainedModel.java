package dev.lifecycle.activities.training;

import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The model a train step starts from: a Lifecycle model directory (an earlier step's model
 * artifact, or a directory on the worker's disk) or a TorchScript file.
 *
 * @param description how messages name it, e.g. {@code pretrained model '/models/base.pt'}
 * @param path the model directory, or the TorchScript file
 * @param metadata the directory's metadata; {@code null} for a TorchScript file
 * @param sha256 a hash of its content, so that a checkpoint is only resumed on the same base
 */
record PretrainedModel(String description, Path path, ModelMetadata metadata, String sha256) {

  /** Whether the weights are a TorchScript module (a file, or a fine-tuned TorchScript model). */
  boolean isTorchScript() {
    return metadata == null || metadata.architectureOrDefault().equals(ModelMetadata.TORCHSCRIPT);
  }

  /** The pretrained model of {@code step}, or {@code null} when it trains from scratch. */
  static PretrainedModel of(StepTask task, Train step, ArtifactStore artifacts) {
    if (step.pretrained() == null) {
      return null;
    }
    if (task.optionalArtifact("pretrained").isPresent()) {
      ArtifactRef ref = task.artifact("pretrained");
      Path dir = artifacts.resolve(ref);
      return new PretrainedModel(
          "pretrained model " + step.pretrained().describe() + " (" + ref.sha256() + ")",
          dir,
          ModelBundle.readMetadata(dir),
          ref.sha256());
    }
    String location = task.string("pretrained");
    Path path = path(step, location);
    String description = "pretrained model '" + location + "'";
    if (Files.isRegularFile(path)) {
      return new PretrainedModel(description, path, null, sha256(List.of(path), path));
    }
    if (Files.isDirectory(path)) {
      if (!Files.isRegularFile(path.resolve(ModelBundle.METADATA_FILE))) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Step '"
                + step.name()
                + "': "
                + description
                + " is a directory without "
                + ModelBundle.METADATA_FILE
                + ", so not a Lifecycle model. Pass a Lifecycle model directory (a train step's"
                + " output) or a TorchScript .pt file.",
            FailureTypes.INVALID_DATA);
      }
      return new PretrainedModel(
          description, path, ModelBundle.readMetadata(path), sha256(files(path), path));
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "Step '"
            + step.name()
            + "': "
            + description
            + " does not exist on this worker (looked at "
            + path.toAbsolutePath()
            + ")",
        FailureTypes.MISSING_ARTIFACT);
  }

  private static Path path(Train step, String location) {
    try {
      if (location.startsWith("file:")) {
        return Path.of(URI.create(location));
      }
      if (location.contains("://")) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Step '"
                + step.name()
                + "' reads pretrained model '"
                + location
                + "', but only local paths and file: URIs are read; copy the model to the"
                + " worker's disk or pass an earlier step's model output",
            FailureTypes.INVALID_PLAN);
      }
      return Path.of(location);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '"
              + step.name()
              + "' reads pretrained model '"
              + location
              + "', which is not a valid path or file: URI: "
              + e.getMessage(),
          FailureTypes.INVALID_PLAN);
    }
  }

  private static List<Path> files(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir, e);
    }
  }

  /** A hash of the files' names (relative to {@code root}) and contents. */
  private static String sha256(List<Path> files, Path root) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path file : files) {
        String name = file.equals(root) ? "" : root.relativize(file).toString();
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + root, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
