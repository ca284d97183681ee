package dev.lifecycle.worker.cli;

import dev.lifecycle.examples.fashion.FashionMnistShift;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code lifecycle data fashion-mnist [--dir DIR]}: writes the examples' image data (the
 * pretraining set and the seeded "new camera" shifted sets) from Debian's {@code
 * dataset-fashion-mnist} files.
 */
public final class DataCommand implements Command {
  private static final Path SOURCE = Path.of("/usr/share/datasets/fashion-mnist");

  @Override
  public String name() {
    return "data";
  }

  @Override
  public String summary() {
    return "Prepare the example data sets (fashion-mnist)";
  }

  @Override
  public String help() {
    return """
        Usage: lifecycle data fashion-mnist [--dir DIR]

        Writes the Fashion-MNIST files the fashion-pretrain and fashion-finetune pipelines read:
        the pretraining set, the original test set, and the same classes seen through a seeded
        "new camera" (rotation, blur, inverted response, noise), with labelled subsets of 100, 500
        and 2,000 images. The same bytes come out every time. Needs Debian's dataset-fashion-mnist
        package (files under /usr/share/datasets/fashion-mnist).

        --dir DIR   where to write (default: $LIFECYCLE_HOME/data/fashion-mnist, else
                    ~/.lifecycle/data/fashion-mnist, where the pipelines' defaults point)
        """;
  }

  @Override
  public Set<String> options() {
    return Set.of("--dir");
  }

  @Override
  public int run(Args args, Console console) throws Exception {
    String dataset = args.single("data set name (fashion-mnist)");
    if (!dataset.equals("fashion-mnist")) {
      throw new UsageException(
          "Unknown data set '" + dataset + "'. Known data sets: " + List.of("fashion-mnist"));
    }
    if (!Files.isRegularFile(SOURCE.resolve("train-images-idx3-ubyte.gz"))) {
      console
          .err()
          .println(
              "Fashion-MNIST is not installed: "
                  + SOURCE
                  + " has no train-images-idx3-ubyte.gz. Install it with: apt-get install"
                  + " dataset-fashion-mnist");
      return 1;
    }
    Path target =
        args.value("--dir")
            .map(Path::of)
            .orElse(FashionMnistShift.defaultDirectory(System.getenv()));
    long started = System.nanoTime();
    FashionMnistShift.Written written = FashionMnistShift.prepare(target);
    console
        .out()
        .printf(
            "Wrote Fashion-MNIST for the examples to %s in %.1f s:%n  %s%n  %s%n  %s%n  %s%n",
            target.toAbsolutePath(),
            (System.nanoTime() - started) / 1e9,
            written.pretrainImages().getFileName(),
            written.testImages().getFileName(),
            written.shiftedTrainImages().getFileName(),
            written.shiftedTestImages().getFileName());
    return 0;
  }
}
