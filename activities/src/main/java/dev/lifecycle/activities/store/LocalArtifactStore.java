package dev.lifecycle.activities.store;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Artifacts under {@code root/sha256/ab/abcdef...} (a file, or a directory for multi-file artifacts
 * such as models). Writes go to a temporary name first and are renamed into place, so a crash never
 * leaves a half-written artifact under its hash.
 */
public final class LocalArtifactStore implements ArtifactStore {
  private final Path root;
  private final Path scratchRoot;

  public LocalArtifactStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.scratchRoot = this.root.resolve("tmp");
    try {
      Files.createDirectories(this.root.resolve("sha256"));
      Files.createDirectories(scratchRoot);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the artifact store at " + this.root, e);
    }
  }

  /** The store's root directory. */
  public Path root() {
    return root;
  }

  @Override
  public ArtifactRef put(Path source, ValueType type, String format) {
    try {
      boolean directory = Files.isDirectory(source);
      String sha256 = directory ? hashDirectory(source) : hashFile(source);
      long size = directory ? sizeOf(source) : Files.size(source);
      Path target = pathOf(sha256);
      if (!Files.exists(target)) {
        Files.createDirectories(target.getParent());
        Path staging = scratchRoot.resolve("put-" + UUID.randomUUID());
        if (source.toAbsolutePath().normalize().startsWith(scratchRoot)) {
          Files.move(source, staging);
        } else if (directory) {
          copyDirectory(source, staging);
        } else {
          Files.copy(source, staging);
        }
        try {
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
          // Another attempt stored the same content meanwhile: the content is the same.
          deleteRecursively(staging);
        } catch (IOException e) {
          if (!Files.exists(target)) {
            throw e;
          }
          deleteRecursively(staging);
        }
      }
      return new ArtifactRef(target.toUri().toString(), sha256, size, type, format);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot store artifact from " + source, e);
    }
  }

  @Override
  public Path resolve(ArtifactRef ref) {
    Path path;
    try {
      path = Path.of(URI.create(ref.uri()));
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Artifact URI '" + ref.uri() + "' is not a local file URI",
          FailureTypes.MISSING_ARTIFACT);
    }
    if (!Files.exists(path)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Artifact " + ref.uri() + " (sha256 " + ref.sha256() + ") is missing from the store",
          FailureTypes.MISSING_ARTIFACT);
    }
    try {
      long size = Files.isDirectory(path) ? sizeOf(path) : Files.size(path);
      if (size != ref.size()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Artifact "
                + ref.uri()
                + " has "
                + size
                + " bytes but its reference says "
                + ref.size()
                + ": the store was changed by hand",
            FailureTypes.MISSING_ARTIFACT);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read artifact " + ref.uri(), e);
    }
    return path;
  }

  @Override
  public Path scratch(String prefix) {
    try {
      return Files.createTempDirectory(scratchRoot, prefix + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a scratch directory in " + scratchRoot, e);
    }
  }

  private Path pathOf(String sha256) {
    return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
  }

  /** The sha256 of a file's bytes. */
  public static String hashFile(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The sha256 of a directory: of each file's relative path and hash, in sorted order. */
  public static String hashDirectory(Path dir) throws IOException {
    MessageDigest digest = sha256();
    for (Path file : files(dir)) {
      String rel = dir.relativize(file).toString().replace('\\', '/');
      digest.update((rel + "\0" + hashFile(file) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static long sizeOf(Path dir) throws IOException {
    long total = 0;
    for (Path file : files(dir)) {
      total += Files.size(file);
    }
    return total;
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static void copyDirectory(Path from, Path to) throws IOException {
    for (Path file : files(from)) {
      Path target = to.resolve(from.relativize(file).toString());
      Files.createDirectories(target.getParent());
      Files.copy(file, target);
    }
    Files.createDirectories(to);
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
