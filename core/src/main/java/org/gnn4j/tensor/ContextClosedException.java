package org.gnn4j.tensor;

/**
 * An op ran on a {@link Context} after it was closed: its worker threads are gone, so nothing
 * more may run on it (tensors it made stay readable). In a service this means a request reached
 * a model whose owner had already closed it; {@code LoadedModel} narrows it to
 * {@code ModelClosedException}, which names the model's file.
 */
public class ContextClosedException extends IllegalStateException {
  /** @param message one line: what was used after close, and what to do instead */
  public ContextClosedException(String message) {
    super(message);
  }
}
