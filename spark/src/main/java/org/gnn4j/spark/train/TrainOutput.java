package org.gnn4j.spark.train;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What task 0 of a data-parallel training stage sends back to the driver: the final weights (every
 * entry of the model's state dict, buffers included), the mean training loss of every epoch, and
 * where its time went.
 *
 * @param names state-dict names, in the model's order
 * @param values the values of each name
 * @param epochLoss [epochs] mean cross-entropy over the epoch's training nodes (all tasks)
 * @param firstGradient the summed gradient of the first step (with presence flags and loss), or null
 * @param steps optimizer steps taken
 * @param seconds time in the training loop
 * @param allReduceSeconds part of it spent in the all-reduce (task 0's view)
 */
public record TrainOutput(String[] names, float[][] values, double[] epochLoss, float[] firstGradient,
                          long steps, double seconds, double allReduceSeconds) implements Serializable {
  /** The weights by name. */
  public Map<String, float[]> stateDict() {
    Map<String, float[]> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) m.put(names[i], values[i]);
    return m;
  }
}
