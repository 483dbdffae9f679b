package org.gnn4j.io;

/**
 * A checkpoint or model file written by a newer gnn4j, in a format version above the one this
 * build reads: the library refuses it rather than guess at entries it does not know. The
 * message names the file, its version and the newest version this build reads, so a service
 * can log it as one line; upgrading gnn4j (or re-saving the model with this version) fixes it.
 */
public final class UnsupportedModelVersionException extends Gnn4jConfigException {
  private final int found;
  private final int supported;

  /**
   * @param file the file that was read
   * @param found the format version the file records
   * @param supported the newest format version this build reads
   */
  public UnsupportedModelVersionException(String file, int found, int supported) {
    super(file, 0, "written by a newer gnn4j (format version " + found + ", this gnn4j reads"
        + " versions up to " + supported + "); upgrade gnn4j to load it");
    this.found = found;
    this.supported = supported;
  }

  /** The format version the file records. */
  public int found() {
    return found;
  }

  /** The newest format version this build reads. */
  public int supported() {
    return supported;
  }
}
