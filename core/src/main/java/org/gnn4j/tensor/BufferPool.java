package org.gnn4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The large float buffers of one {@link Context}'s training steps, kept from one step to the
 * next (PyTorch's caching allocator, with a step instead of a reference count deciding when a
 * buffer is free). While a {@link Context.StepScope} is open, ops on the scope's thread take their
 * output and gradient storage here; when the scope closes, everything lent during the step comes
 * back, except the gradients left in leaves. A repeated step therefore allocates (nearly) nothing
 * after the first, and its memory is what one step holds, whatever the garbage collector's flags.
 * Buffers are handed out zeroed, exactly like {@code new float[n]}, so results do not change.
 */
final class BufferPool {
  /** Below this many floats an array is cheap to allocate and not worth tracking. */
  static final int MIN_FLOATS = 1 << 14;

  private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
  // every buffer lent since the step began -> whether backward lent it (those may come back early)
  private final IdentityHashMap<float[], Boolean> lent = new IdentityHashMap<>();
  // buffers lent or returned during this step: the rest of the free lists is dropped at its end
  private final IdentityHashMap<float[], Boolean> used = new IdentityHashMap<>();
  private final List<Tensor> views = new ArrayList<>();      // tensors over lent storage
  private final List<Tensor> leaves = new ArrayList<>();     // leaves a backward pass reached
  private final List<float[]> backwardLent = new ArrayList<>(); // in order, for backwardRelease
  private Set<Integer> lastStepSizes = Set.of();  // lengths the last step used
  private long misses;
  private Thread owner;
  private int depth;
  private int backwardDepth;

  boolean open(Thread t) {
    if (depth > 0) {
      if (t != owner) {
        throw new IllegalStateException("Context.step: a step is already open on thread "
            + owner.getName() + "; a context's steps run on one thread (derive a context per thread)");
      }
      depth++;
      return false;
    }
    owner = t;
    depth = 1;
    return true;
  }

  private boolean active() {
    return depth > 0 && Thread.currentThread() == owner;
  }

  /** A zeroed array of n floats: from the pool inside a step, else new. */
  float[] take(int n) {
    return take(n, true);
  }

  /** An array of n floats the caller overwrites in full: a pooled one is not zeroed first. */
  float[] takeToOverwrite(int n) {
    return take(n, false);
  }

  private float[] take(int n, boolean zeroed) {
    if (n < MIN_FLOATS || !active()) return new float[n];
    ArrayDeque<float[]> q = free.get(n);
    float[] a = q == null ? null : q.pollLast();
    if (a == null) {
      misses++;
      // a size the last step used too is the same shape, one buffer short: most often the one a
      // leaf kept as its gradient, which the caller then dropped (zero_grad)
      if (!lastStepSizes.contains(n)) evictUntaken();
      a = new float[n];
    } else if (zeroed) {
      Arrays.fill(a, 0f);
    }
    lent.put(a, backwardDepth > 0);
    used.put(a, Boolean.TRUE);
    if (backwardDepth > 0) backwardLent.add(a);
    return a;
  }

  /**
   * A miss on a size the last step did not use means this step's shapes differ from the last
   * step's (a batch of other graphs): what the last step left and this one has not taken is
   * unlikely to fit either, so it goes to the collector now rather than when the step ends.
   * Without this the pool held two steps' buffers when every batch has other sizes (ZINC: peak
   * RSS above the run without the pool). Steps of one shape miss only where the caller kept a
   * buffer of the last step (a leaf's gradient), and keep everything else.
   */
  private void evictUntaken() {
    for (Iterator<ArrayDeque<float[]>> it = free.values().iterator(); it.hasNext(); ) {
      ArrayDeque<float[]> q = it.next();
      q.removeIf(b -> !used.containsKey(b));
      if (q.isEmpty()) it.remove();
    }
  }

  /** Notes a tensor whose storage is lent, so that it can refuse reads once the step ended. */
  void noteTensor(Tensor t, float[] data) {
    if (depth > 0 && data.length >= MIN_FLOATS && Thread.currentThread() == owner
        && lent.containsKey(data)) {
      views.add(t);
    }
  }

  void backwardBegin() {
    if (active()) backwardDepth++;
  }

  void backwardEnd(List<Tensor> reached) {
    if (!active()) return;
    backwardDepth--;
    for (Tensor t : reached) {
      if (t.isLeaf()) leaves.add(t);
    }
  }

  /**
   * A gradient buffer backward no longer needs (an intermediate's gradient after its node ran,
   * or an addend already summed into a gradient): back to the free list at once, so backward
   * reuses it within the step. Only buffers backward itself lent qualify; forward's outputs may
   * still be read by the caller until the step ends.
   */
  void releaseGrad(float[] g) {
    if (g == null || g.length < MIN_FLOATS || !active()) return;
    if (Boolean.TRUE.equals(lent.get(g))) {
      lent.remove(g);
      free.computeIfAbsent(g.length, k -> new ArrayDeque<>()).add(g);
    }
  }

  /** Where the buffers one node's backward is about to take begin (see {@link #backwardRelease}). */
  int backwardMark() {
    return active() ? backwardLent.size() : -1;
  }

  /**
   * After one node's backward: what it took since {@code mark} and did not leave as an input's
   * gradient was scratch (dot products, per-edge terms) and is free again.
   */
  void backwardRelease(int mark, Tensor[] inputs) {
    if (mark < 0 || !active()) return;
    for (int i = mark; i < backwardLent.size(); i++) {
      float[] a = backwardLent.get(i);
      boolean isGrad = false;
      for (Tensor in : inputs) {
        if (in != null && in.gradArray() == a) {
          isGrad = true;
          break;
        }
      }
      if (!isGrad) releaseGrad(a);
    }
    backwardLent.subList(mark, backwardLent.size()).clear();
  }

  /** Ends the step: lent buffers return (leaf gradients excepted), their tensors go stale. */
  void close() {
    if (--depth > 0) return;
    IdentityHashMap<float[], Boolean> kept = new IdentityHashMap<>();
    for (Tensor leaf : leaves) {
      float[] g = leaf.gradArray();
      if (g != null) kept.put(g, Boolean.TRUE);
    }
    IdentityHashMap<float[], Boolean> recycled = new IdentityHashMap<>();
    for (float[] a : lent.keySet()) {
      if (kept.containsKey(a)) continue;
      recycled.put(a, Boolean.TRUE);
      free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).add(a);
    }
    for (Tensor t : views) {
      if (recycled.containsKey(t.storageUnchecked())) t.markRecycled();
    }
    // What this step did not use (sizes of an earlier, different step) goes to the GC, so the
    // pool holds at most one step's buffers even when shapes change from step to step.
    evictUntaken();
    Set<Integer> sizes = new HashSet<>();
    for (float[] a : used.keySet()) sizes.add(a.length);
    lastStepSizes = sizes;
    lent.clear();
    used.clear();
    views.clear();
    leaves.clear();
    backwardLent.clear();
    backwardDepth = 0;
    owner = null;
  }

  /** Takes the free lists could not serve, since the context began (tests and diagnostics). */
  long misses() {
    return misses;
  }

  /** Floats held in free lists (tests and diagnostics). */
  long freeFloats() {
    long s = 0;
    for (ArrayDeque<float[]> q : free.values()) {
      for (float[] a : q) s += a.length;
    }
    return s;
  }
}
