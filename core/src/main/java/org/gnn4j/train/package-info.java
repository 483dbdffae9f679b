/**
 * Training building blocks: {@link org.gnn4j.train.Metrics}, {@link org.gnn4j.train.EarlyStopping}
 * and {@link org.gnn4j.train.Checkpoint}; with {@code org.gnn4j.optim} (optimizers, gradient
 * clipping, schedules) and {@code org.gnn4j.ops.Losses} they make one epoch read like this:
 *
 * <pre>{@code
 * Optimizer opt = new Adam(model.parameters(), Adam.Config.adamW(1e-3f));
 * LrSchedule schedule = LrSchedule.warmupCosine(1e-3f, 100, totalSteps, 1e-5f);
 * EarlyStopping stop = new EarlyStopping(EarlyStopping.Config.of(MetricMode.MAX, 50));
 * for (...) {                                            // one step
 *   schedule.apply(opt, step++);
 *   opt.zeroGrad();
 *   Tensor loss = CrossEntropy.apply(model.forward(x), y, split.train());
 *   loss.backward();
 *   GradClip.clipByGlobalNorm(opt.params(), 1.0);
 *   opt.step();
 * }
 * double val = Metrics.accuracy(evalLogits, y, split.val());
 * if (stop.observe(epoch, val)) {
 *   Checkpoint.of(model).optimizer(opt).earlyStopping(stop.state()).epoch(epoch)
 *       .rng(seed, counter).metadata("config", configText).build().write(bestFile);
 * }
 * if (stop.shouldStop()) break;
 * }</pre>
 *
 * To resume: {@code Checkpoint ck = Checkpoint.read(file); ck.restoreModel(model);
 * ck.restoreOptimizer(opt); stop.loadState(ck.earlyStoppingState());} and continue from
 * {@code ck.epoch() + 1}.
 */
package org.gnn4j.train;
