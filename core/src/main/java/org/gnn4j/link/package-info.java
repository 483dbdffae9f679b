/**
 * Link prediction on one graph: {@link org.gnn4j.link.EdgeSplit} (message-passing, supervision,
 * validation and test edges; random or read by {@link org.gnn4j.link.EdgeSplitFile}),
 * {@link org.gnn4j.link.NegativeSampler}, the decoders behind {@link org.gnn4j.link.LinkDecoder},
 * {@link org.gnn4j.link.LinkMetrics} and {@link org.gnn4j.link.LinkNeighborSampler} for
 * mini-batches. One training step reads:
 *
 * <pre>{@code
 * Tensor z = model.embed(ModelInput.of(x, Graph.of(split.graphFor("train"))));   // [N, D]
 * NodePairs pos = split.trainSupervision();
 * NodePairs neg = sampler.uniform(pos.size(), epochRandom);                      // fresh each epoch
 * Tensor logits = model.score(z, pos.concat(neg));                               // [P + Q]
 * Tensor loss = Losses.bceWithLogits(logits, labels);                            // 1 for pos, 0 for neg
 * }</pre>
 *
 * {@code org.gnn4j.train.LinkPredictionTask} runs it under the trainer ({@code train.objective: link}).
 */
package org.gnn4j.link;
