package org.gnn4j.train;

import org.gnn4j.tensor.ContextClosedException;

/**
 * A {@link LoadedModel} was used after {@link LoadedModel#close()}: its worker threads are gone.
 * The message names the model's file; a service that sees it has a request that outlived the
 * model, and should load the model again or stop routing requests to it.
 */
public final class ModelClosedException extends ContextClosedException {
  /** @param file the checkpoint the closed model was loaded from */
  public ModelClosedException(String file) {
    super(file + ": the model was closed; load it again (LoadedModel.open) to predict");
  }
}
