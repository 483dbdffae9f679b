package org.gnn4j.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The machine's file system seen through two faults a test switches on: a disk that fills up
 * at the n-th write (every write call, file or directory creation and copy counts as one; from
 * then on each fails with the system's "No space left on device", while deleting and renaming
 * still work, as on a real full disk), and directories that are
 * read-only (anything that would change them fails with {@link AccessDeniedException}, whoever
 * runs the test, root included). Paths of this file system wrap the default one's, so code under
 * test runs unchanged on a path from {@link #path}.
 */
final class FaultyFileSystem extends FileSystem {
  private final FileSystem base = FileSystems.getDefault();
  private final Provider provider = new Provider();
  private final List<Path> readOnly = new ArrayList<>();
  private long writes;
  private long fullAt = Long.MAX_VALUE;

  /** The path {@code p} of the default file system, seen through this one. */
  Path path(Path p) {
    return new FPath(p);
  }

  /** Writes from the {@code n}-th on (0-based, counted from now) find the disk full. */
  synchronized void fullAfter(long n) {
    writes = 0;
    fullAt = n;
  }

  /** Space freed, nothing read-only: the file system works again; the write count restarts. */
  synchronized void repair() {
    fullAt = Long.MAX_VALUE;
    readOnly.clear();
    writes = 0;
  }

  synchronized void makeReadOnly(Path dir) {
    readOnly.add(unwrap(dir).toAbsolutePath().normalize());
  }

  /** Writes counted since the last {@link #fullAfter} or {@link #repair}. */
  synchronized long writes() {
    return writes;
  }

  /** One write to {@code p}: refused when {@code p} is read-only or the disk is full. */
  private void charge(Path p) throws IOException {
    change(p, true);
  }

  /**
   * A change to {@code p}; one that {@code needsSpace} also counts as a write and fails on a full
   * disk (deleting or renaming a file frees or moves blocks, and works on a full disk).
   */
  private synchronized void change(Path p, boolean needsSpace) throws IOException {
    Path a = p.toAbsolutePath().normalize();
    for (Path r : readOnly) {
      if (a.startsWith(r)) throw new AccessDeniedException(p.toString());
    }
    if (needsSpace && writes++ >= fullAt) {
      throw new FileSystemException(p.toString(), null, "No space left on device");
    }
  }

  private static Path unwrap(Path p) {
    return p instanceof FPath f ? f.p : p;
  }

  private static boolean writes(Set<? extends OpenOption> options) {
    return options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
  }

  @Override public FileSystemProvider provider() { return provider; }
  @Override public void close() { throw new UnsupportedOperationException(); }
  @Override public boolean isOpen() { return true; }
  @Override public boolean isReadOnly() { return false; }
  @Override public String getSeparator() { return base.getSeparator(); }
  @Override public Iterable<Path> getRootDirectories() {
    List<Path> l = new ArrayList<>();
    for (Path r : base.getRootDirectories()) l.add(new FPath(r));
    return l;
  }
  @Override public Iterable<FileStore> getFileStores() { return base.getFileStores(); }
  @Override public Set<String> supportedFileAttributeViews() { return base.supportedFileAttributeViews(); }
  @Override public Path getPath(String first, String... more) { return new FPath(base.getPath(first, more)); }
  @Override public PathMatcher getPathMatcher(String s) {
    PathMatcher m = base.getPathMatcher(s);
    return p -> m.matches(unwrap(p));
  }
  @Override public UserPrincipalLookupService getUserPrincipalLookupService() { return base.getUserPrincipalLookupService(); }
  @Override public WatchService newWatchService() { throw new UnsupportedOperationException(); }

  /** A default-file-system path that belongs to this file system. */
  private final class FPath implements Path {
    final Path p;

    FPath(Path p) {
      this.p = p;
    }

    private Path w(Path q) {
      return q == null ? null : new FPath(q);
    }

    @Override public FileSystem getFileSystem() { return FaultyFileSystem.this; }
    @Override public boolean isAbsolute() { return p.isAbsolute(); }
    @Override public Path getRoot() { return w(p.getRoot()); }
    @Override public Path getFileName() { return w(p.getFileName()); }
    @Override public Path getParent() { return w(p.getParent()); }
    @Override public int getNameCount() { return p.getNameCount(); }
    @Override public Path getName(int i) { return w(p.getName(i)); }
    @Override public Path subpath(int a, int b) { return w(p.subpath(a, b)); }
    @Override public boolean startsWith(Path o) { return p.startsWith(unwrap(o)); }
    @Override public boolean endsWith(Path o) { return p.endsWith(unwrap(o)); }
    @Override public Path normalize() { return w(p.normalize()); }
    @Override public Path resolve(Path o) { return w(p.resolve(unwrap(o))); }
    @Override public Path relativize(Path o) { return w(p.relativize(unwrap(o))); }
    @Override public URI toUri() { return p.toUri(); }
    @Override public Path toAbsolutePath() { return w(p.toAbsolutePath()); }
    @Override public Path toRealPath(LinkOption... o) throws IOException { return w(p.toRealPath(o)); }
    @Override public WatchKey register(WatchService s, WatchEvent.Kind<?>[] k, WatchEvent.Modifier... m) {
      throw new UnsupportedOperationException();
    }
    @Override public int compareTo(Path o) { return p.compareTo(unwrap(o)); }
    @Override public boolean equals(Object o) { return o instanceof FPath f && f.p.equals(p); }
    @Override public int hashCode() { return p.hashCode(); }
    @Override public String toString() { return p.toString(); }
    @Override public Iterator<Path> iterator() {
      Iterator<Path> it = p.iterator();
      return new Iterator<>() {
        @Override public boolean hasNext() { return it.hasNext(); }
        @Override public Path next() { return w(it.next()); }
      };
    }
  }

  private final class Provider extends FileSystemProvider {
    private final FileSystemProvider b = base.provider();

    @Override public String getScheme() { return "faulty"; }
    @Override public FileSystem newFileSystem(URI uri, Map<String, ?> env) { throw new UnsupportedOperationException(); }
    @Override public FileSystem getFileSystem(URI uri) { return FaultyFileSystem.this; }
    @Override public Path getPath(URI uri) { return new FPath(b.getPath(uri)); }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
                                              FileAttribute<?>... attrs) throws IOException {
      return newFileChannel(path, options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options,
                                      FileAttribute<?>... attrs) throws IOException {
      Path q = unwrap(path);
      if (writes(options) || options.contains(StandardOpenOption.CREATE_NEW)) charge(q);
      FileChannel ch = b.newFileChannel(q, options, attrs);
      return writes(options) ? new CountingChannel(ch, q) : ch;
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
        throws IOException {
      DirectoryStream<Path> s = b.newDirectoryStream(unwrap(dir), q -> filter.accept(new FPath(q)));
      return new DirectoryStream<>() {
        @Override public Iterator<Path> iterator() {
          Iterator<Path> it = s.iterator();
          return new Iterator<>() {
            @Override public boolean hasNext() { return it.hasNext(); }
            @Override public Path next() { return new FPath(it.next()); }
          };
        }
        @Override public void close() throws IOException { s.close(); }
      };
    }

    @Override public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
      charge(unwrap(dir));
      b.createDirectory(unwrap(dir), attrs);
    }
    @Override public void delete(Path path) throws IOException {
      change(unwrap(path), false);
      b.delete(unwrap(path));
    }
    @Override public void copy(Path s, Path t, CopyOption... o) throws IOException {
      charge(unwrap(t));
      b.copy(unwrap(s), unwrap(t), o);
    }
    @Override public void move(Path s, Path t, CopyOption... o) throws IOException {
      change(unwrap(s), false);
      change(unwrap(t), false);
      b.move(unwrap(s), unwrap(t), o);
    }
    @Override public boolean isSameFile(Path a, Path c) throws IOException { return b.isSameFile(unwrap(a), unwrap(c)); }
    @Override public boolean isHidden(Path p) throws IOException { return b.isHidden(unwrap(p)); }
    @Override public FileStore getFileStore(Path p) throws IOException { return b.getFileStore(unwrap(p)); }
    @Override public void checkAccess(Path p, AccessMode... modes) throws IOException {
      for (AccessMode m : modes) {
        if (m == AccessMode.WRITE) {
          Path a = unwrap(p).toAbsolutePath().normalize();
          synchronized (FaultyFileSystem.this) {
            for (Path r : readOnly) if (a.startsWith(r)) throw new AccessDeniedException(p.toString());
          }
        }
      }
      b.checkAccess(unwrap(p), modes);
    }
    @Override public <V extends FileAttributeView> V getFileAttributeView(Path p, Class<V> t, LinkOption... o) {
      return b.getFileAttributeView(unwrap(p), t, o);
    }
    @Override public <A extends BasicFileAttributes> A readAttributes(Path p, Class<A> t, LinkOption... o)
        throws IOException {
      return b.readAttributes(unwrap(p), t, o);
    }
    @Override public Map<String, Object> readAttributes(Path p, String a, LinkOption... o) throws IOException {
      return b.readAttributes(unwrap(p), a, o);
    }
    @Override public void setAttribute(Path p, String a, Object v, LinkOption... o) throws IOException {
      charge(unwrap(p));
      b.setAttribute(unwrap(p), a, v, o);
    }
  }

  /** A channel open for writing: each write call is one write of the disk. */
  private final class CountingChannel extends FileChannel {
    private final FileChannel c;
    private final Path p;

    CountingChannel(FileChannel c, Path p) {
      this.c = c;
      this.p = p;
    }

    @Override public int read(ByteBuffer d) throws IOException { return c.read(d); }
    @Override public long read(ByteBuffer[] d, int o, int l) throws IOException { return c.read(d, o, l); }
    @Override public int write(ByteBuffer s) throws IOException {
      charge(p);
      return c.write(s);
    }
    @Override public long write(ByteBuffer[] s, int o, int l) throws IOException {
      charge(p);
      return c.write(s, o, l);
    }
    @Override public long position() throws IOException { return c.position(); }
    @Override public FileChannel position(long n) throws IOException {
      c.position(n);
      return this;
    }
    @Override public long size() throws IOException { return c.size(); }
    @Override public FileChannel truncate(long s) throws IOException {
      c.truncate(s);
      return this;
    }
    @Override public void force(boolean m) throws IOException { c.force(m); }
    @Override public long transferTo(long pos, long n, WritableByteChannel t) throws IOException {
      return c.transferTo(pos, n, t);
    }
    @Override public long transferFrom(ReadableByteChannel s, long pos, long n) throws IOException {
      charge(p);
      return c.transferFrom(s, pos, n);
    }
    @Override public int read(ByteBuffer d, long pos) throws IOException { return c.read(d, pos); }
    @Override public int write(ByteBuffer s, long pos) throws IOException {
      charge(p);
      return c.write(s, pos);
    }
    @Override public MappedByteBuffer map(MapMode m, long pos, long size) throws IOException {
      throw new UnsupportedOperationException("mapped writes escape the count");
    }
    @Override public FileLock lock(long pos, long size, boolean shared) throws IOException {
      return c.lock(pos, size, shared);
    }
    @Override public FileLock tryLock(long pos, long size, boolean shared) throws IOException {
      return c.tryLock(pos, size, shared);
    }
    @Override protected void implCloseChannel() throws IOException { c.close(); }
  }
}
