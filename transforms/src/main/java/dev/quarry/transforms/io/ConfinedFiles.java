package dev.quarry.transforms.io;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Opens a file under a source root for reading without ever leaving the root: no symbolic link is followed on the
 * way (not even in a directory above the file, which {@link LinkOption#NOFOLLOW_LINKS} alone does not cover), and
 * only a regular file is opened (opening a FIFO blocks forever; a device can be endless).
 *
 * <p>Where the platform offers a {@link SecureDirectoryStream} (Linux), each directory is opened relative to its
 * parent with {@code O_NOFOLLOW}, so a directory swapped for a link after the scan cannot redirect the read. A file
 * swapped for a FIFO between the type check and the open is the one window left (Java cannot open without
 * blocking).
 */
public final class ConfinedFiles {
  /** The path leads through a symbolic link, is one, or is not a regular file; nothing was opened. */
  public static final class NotConfinedException extends FileSystemException {
    private final boolean link;

    NotConfinedException(String file, boolean link, String reason) {
      super(file, null, reason);
      this.link = link;
    }

    /** Whether a symbolic link is on the path (else: the file is not a regular file). */
    public boolean isLink() {
      return link;
    }
  }

  private ConfinedFiles() {}

  /**
   * @param root the source root (followed if it is itself a link: it is what the user declared)
   * @param relative the repo-relative path, {@code /}-separated, without {@code .} or {@code ..} elements
   * @throws NoSuchFileException if a component does not exist
   * @throws NotConfinedException if a component is a symbolic link, or the file is not a regular file
   * @throws IOException if a component cannot be read (permissions, I/O)
   */
  public static SeekableByteChannel open(Path root, String relative) throws IOException {
    List<String> names = components(relative);
    try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
      if (top instanceof SecureDirectoryStream<Path> secure) {
        return openSecure(secure, names, root, relative);
      }
    }
    return openChecked(root, names, relative);
  }

  /** The path's elements; {@code .}, {@code ..}, empty and absolute paths are refused. */
  static List<String> components(String relative) throws NotConfinedException {
    List<String> names = new ArrayList<>();
    for (String name : relative.split("/", -1)) {
      if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
        throw new NotConfinedException(relative, false, "not a plain relative path under its root");
      }
      names.add(name);
    }
    return names;
  }

  private static SeekableByteChannel openSecure(
      SecureDirectoryStream<Path> top, List<String> names, Path root, String relative) throws IOException {
    SecureDirectoryStream<Path> dir = top;
    List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
    try {
      for (int i = 0; i < names.size() - 1; i++) {
        Path name = path(root, names.get(i));
        requireNotLink(attributes(dir.getFileAttributeView(name, BasicFileAttributeView.class,
            LinkOption.NOFOLLOW_LINKS)), relative, names, i);
        try {
          dir = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
        } catch (NotDirectoryException e) {
          throw new NoSuchFileException(relative, null, String.join("/", names.subList(0, i + 1)) + " is not a directory");
        } catch (FileSystemException e) {
          // A directory swapped for a link between the check above and the open (O_NOFOLLOW refuses it).
          if (isLoop(e)) {
            throw new NotConfinedException(relative, true, linkMessage(names, i));
          }
          throw e;
        }
        opened.add(dir);
      }
      Path last = path(root, names.get(names.size() - 1));
      BasicFileAttributes a = attributes(dir.getFileAttributeView(last, BasicFileAttributeView.class,
          LinkOption.NOFOLLOW_LINKS));
      requireRegular(a, relative, names);
      try {
        return dir.newByteChannel(last, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
      } catch (FileSystemException e) {
        if (isLoop(e)) {
          throw new NotConfinedException(relative, true, linkMessage(names, names.size() - 1));
        }
        throw e;
      }
    } finally {
      for (SecureDirectoryStream<Path> d : opened) {
        d.close();
      }
    }
  }

  /** Without secure directory streams: check every component, then open (a small race window remains). */
  private static SeekableByteChannel openChecked(Path root, List<String> names, String relative) throws IOException {
    Path current = root;
    for (int i = 0; i < names.size(); i++) {
      current = current.resolve(names.get(i));
      BasicFileAttributes a = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (i < names.size() - 1) {
        requireNotLink(a, relative, names, i);
      } else {
        requireRegular(a, relative, names);
      }
    }
    return Files.newByteChannel(current, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  private static BasicFileAttributes attributes(BasicFileAttributeView view) throws IOException {
    return view.readAttributes();
  }

  private static void requireNotLink(BasicFileAttributes a, String relative, List<String> names, int i)
      throws NotConfinedException {
    if (a.isSymbolicLink()) {
      throw new NotConfinedException(relative, true, linkMessage(names, i));
    }
  }

  private static void requireRegular(BasicFileAttributes a, String relative, List<String> names)
      throws NotConfinedException {
    if (a.isSymbolicLink()) {
      throw new NotConfinedException(relative, true, linkMessage(names, names.size() - 1));
    }
    if (!a.isRegularFile()) {
      throw new NotConfinedException(relative, false,
          "not a regular file (" + (a.isDirectory() ? "a directory" : "a FIFO, socket or device") + "); not opened");
    }
  }

  private static String linkMessage(List<String> names, int i) {
    return String.join("/", names.subList(0, i + 1)) + " is a symbolic link; links are never followed";
  }

  private static boolean isLoop(FileSystemException e) {
    String reason = e.getReason();
    return reason != null && (reason.contains("symbolic link") || reason.contains("ELOOP"));
  }

  private static Path path(Path root, String name) throws NotConfinedException {
    try {
      return root.getFileSystem().getPath(name);
    } catch (InvalidPathException e) {
      throw new NotConfinedException(name, false, "not a valid file name: " + e.getReason());
    }
  }
}
