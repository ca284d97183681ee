package dev.lifecycle.activities.data;

import static dev.lifecycle.activities.data.DataActivitiesImpl.invalidData;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * A folder of PNG and JPEG images, either one sub-folder per class (the ImageFolder layout: {@code
 * cat/1.png}, {@code dog/2.jpg}; class indices follow the sorted folder names) or flat (unlabeled).
 *
 * <p>Files are taken in sorted order of their relative paths, so a folder always gives the same
 * rows in the same order. Names starting with a dot are skipped, as are files whose extension is
 * not {@code .png}, {@code .jpg} or {@code .jpeg} (counted, so the summary can say so).
 *
 * <p>Pixels are kept as the files store them, never blended into a different colour space: a folder
 * whose images are all greyscale (grey PNG and JPEG, or palettes of greys only) gives 1 channel; as
 * soon as one image has colour, every image is stored as 3 interleaved RGB channels (greys
 * repeated). Greyscale samples of other depths than 8 bits are rescaled to 0..255 with rounding.
 * Transparency is dropped (the colour values are kept as stored).
 */
final class ImageFolder {
  /** One image file: its path, its path relative to the folder, its class index (or -1). */
  record Item(Path path, String relative, int label) {}

  /** What the headers say about every image: the common size and how many channels to store. */
  record Shape(int height, int width, int channels) {}

  private final List<String> classes;
  private final List<Item> items;
  private final int skipped;

  private ImageFolder(List<String> classes, List<Item> items, int skipped) {
    this.classes = List.copyOf(classes);
    this.items = List.copyOf(items);
    this.skipped = skipped;
  }

  /**
   * Lists the images under {@code root}.
   *
   * @param shownAs how messages name the folder
   */
  static ImageFolder scan(Path root, String shownAs) throws IOException {
    List<Path> dirs = new ArrayList<>();
    List<Path> topImages = new ArrayList<>();
    int skipped = 0;
    for (Path entry : sortedChildren(root)) {
      if (Files.isDirectory(entry)) {
        dirs.add(entry);
      } else if (isImageName(entry)) {
        topImages.add(entry);
      } else {
        skipped++;
      }
    }
    if (!dirs.isEmpty() && !topImages.isEmpty()) {
      throw invalidData(
          "Folder '"
              + shownAs
              + "' holds both class folders ("
              + names(dirs)
              + ") and images outside them ("
              + names(topImages)
              + "): put every image in its class's folder, or use a flat folder of images for"
              + " unlabeled data");
    }
    List<String> classes = new ArrayList<>();
    List<Item> items = new ArrayList<>();
    if (dirs.isEmpty()) {
      for (Path file : topImages) {
        items.add(new Item(file, file.getFileName().toString(), -1));
      }
    } else {
      for (Path dir : dirs) {
        int label = classes.size();
        String name = dir.getFileName().toString();
        classes.add(name);
        List<Path> files = new ArrayList<>();
        skipped += collect(dir, files);
        if (files.isEmpty()) {
          throw invalidData(
              "Class folder '"
                  + name
                  + "' in '"
                  + shownAs
                  + "' holds no PNG or JPEG images: add some, or remove the folder (class"
                  + " indices follow the sorted folder names)");
        }
        for (Path file : files) {
          items.add(new Item(file, relative(root, file), label));
        }
      }
    }
    if (items.isEmpty()) {
      throw invalidData(
          "Folder '"
              + shownAs
              + "' holds no PNG or JPEG images (files ending .png, .jpg or .jpeg)"
              + (skipped > 0 ? "; it holds " + skipped + " other files" : ""));
    }
    return new ImageFolder(classes, items, skipped);
  }

  /** Whether the images are sorted into class folders. */
  boolean labelled() {
    return !classes.isEmpty();
  }

  /** The class names, in index order (empty for a flat folder). */
  List<String> classes() {
    return classes;
  }

  List<Item> items() {
    return items;
  }

  /** Files left out because their names do not end in an image extension. */
  int skipped() {
    return skipped;
  }

  /**
   * Reads every image's header (not its pixels) and returns the size they share and the channels to
   * store. Fails naming the first image whose size differs from the first image's.
   */
  Shape probe() throws IOException {
    Item first = null;
    Shape shape = null;
    boolean colour = false;
    for (Item item : items) {
      try (ImageInputStream in = ImageIO.createImageInputStream(item.path().toFile())) {
        if (in == null) {
          throw new IOException("Cannot open '" + item.path() + "' for reading");
        }
        ImageReader reader = reader(in, item);
        try {
          int height = reader.getHeight(0);
          int width = reader.getWidth(0);
          if (shape == null) {
            first = item;
            shape = new Shape(height, width, 1);
          } else if (height != shape.height() || width != shape.width()) {
            throw sizeDiffers(item, height, width, first, shape);
          }
          colour |= !isGrey(type(reader, item));
        } catch (IIOException e) {
          throw unreadable(item, e);
        } finally {
          reader.dispose();
        }
      }
    }
    return new Shape(shape.height(), shape.width(), colour ? 3 : 1);
  }

  /**
   * Decodes one image file's bytes into {@code pixels} (height × width × channels bytes of {@code
   * shape}), failing if its size is not the probed one (the file changed since).
   */
  static void decode(byte[] bytes, Item item, Shape shape, byte[] pixels) throws IOException {
    BufferedImage image;
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = reader(in, item);
      // The JPEG decoder fills the rest of a truncated file with grey and only warns.
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      try {
        image = reader.read(0);
      } catch (IIOException | RuntimeException e) {
        // Decoders signal broken data with IIOException and, for some damage, runtime exceptions.
        throw unreadable(item, e);
      } finally {
        reader.dispose();
      }
      if (!warnings.isEmpty()) {
        throw invalidData(
            "Image '" + item.relative() + "' is damaged: " + String.join("; ", warnings));
      }
    }
    if (image.getHeight() != shape.height() || image.getWidth() != shape.width()) {
      throw invalidData(
          "Image '"
              + item.relative()
              + "' is now "
              + image.getWidth()
              + "×"
              + image.getHeight()
              + " pixels, not the "
              + shape.width()
              + "×"
              + shape.height()
              + " its header had a moment ago: did it change while being ingested?");
    }
    pixels(image, shape.channels(), pixels);
  }

  /** Copies an image's pixels as unsigned bytes, row-major, 1 channel or interleaved RGB. */
  static void pixels(BufferedImage image, int channels, byte[] out) {
    int height = image.getHeight();
    int width = image.getWidth();
    ColorModel model = image.getColorModel();
    Raster raster = image.getRaster();
    boolean greySpace = isGreySpace(model);
    // getRGB would send grey samples through a linear-to-sRGB conversion and brighten them, so
    // greys are read from the raster as stored.
    int max = greySpace ? (1 << model.getComponentSize(0)) - 1 : 255;
    int i = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (greySpace || channels == 1) {
          int grey;
          if (greySpace) {
            int sample = raster.getSample(x, y, 0);
            grey = max == 255 ? sample : (int) ((sample * 510L + max) / (2L * max));
          } else {
            // A palette of greys only (checked by the probe): any of red, green, blue.
            grey = (image.getRGB(x, y) >>> 16) & 0xff;
          }
          for (int c = 0; c < channels; c++) {
            out[i++] = (byte) grey;
          }
        } else {
          int rgb = image.getRGB(x, y);
          out[i++] = (byte) (rgb >>> 16);
          out[i++] = (byte) (rgb >>> 8);
          out[i++] = (byte) rgb;
        }
      }
    }
  }

  private static ImageReader reader(ImageInputStream in, Item item) {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw invalidData(
          "Image '"
              + item.relative()
              + "' is not a PNG or JPEG image (its content matches no image format)");
    }
    ImageReader reader = readers.next();
    String format;
    try {
      format = reader.getFormatName().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      reader.dispose();
      throw unreadable(item, e);
    }
    if (!format.equals("png") && !format.equals("jpeg")) {
      reader.dispose();
      throw invalidData(
          "Image '" + item.relative() + "' holds a " + format + " image; PNG and JPEG are read");
    }
    reader.setInput(in, true, true);
    return reader;
  }

  private static ImageTypeSpecifier type(ImageReader reader, Item item) throws IOException {
    ImageTypeSpecifier raw = reader.getRawImageType(0);
    if (raw != null) {
      return raw;
    }
    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
    if (!types.hasNext()) {
      throw invalidData("Image '" + item.relative() + "' has a pixel layout that cannot be read");
    }
    return types.next();
  }

  private static boolean isGrey(ImageTypeSpecifier type) {
    ColorModel model = type.getColorModel();
    if (isGreySpace(model)) {
      return true;
    }
    if (model instanceof IndexColorModel palette) {
      for (int i = 0; i < palette.getMapSize(); i++) {
        int r = palette.getRed(i);
        if (r != palette.getGreen(i) || r != palette.getBlue(i)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean isGreySpace(ColorModel model) {
    return !(model instanceof IndexColorModel)
        && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
  }

  private static RuntimeException sizeDiffers(
      Item item, int height, int width, Item first, Shape shape) {
    return invalidData(
        "Image '"
            + item.relative()
            + "' is "
            + width
            + "×"
            + height
            + " pixels (width×height), but '"
            + first.relative()
            + "' and every image before it are "
            + shape.width()
            + "×"
            + shape.height()
            + ": all images of a dataset must have the same size (resizing on ingest is not"
            + " supported yet; resize them beforehand)");
  }

  private static RuntimeException unreadable(Item item, Exception e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return invalidData("Image '" + item.relative() + "' cannot be decoded: " + reason);
  }

  /** Collects the images under {@code dir}, at any depth, sorted; returns how many were skipped. */
  private static int collect(Path dir, List<Path> images) throws IOException {
    int skipped = 0;
    for (Path entry : sortedChildren(dir)) {
      if (Files.isDirectory(entry)) {
        skipped += collect(entry, images);
      } else if (isImageName(entry)) {
        images.add(entry);
      } else {
        skipped++;
      }
    }
    return skipped;
  }

  /**
   * The entries of {@code dir} that do not start with a dot, sorted by name as strings compare, so
   * class indices match those torchvision's ImageFolder gives the same folder names.
   */
  private static List<Path> sortedChildren(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    }
  }

  private static boolean isImageName(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(file)
        && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  private static String names(List<Path> paths) {
    List<String> names = paths.stream().map(p -> p.getFileName().toString()).toList();
    return names.size() <= 3
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, 3)) + ", ... " + (names.size() - 3) + " more";
  }
}
