/**
 * Repeated-sampling metrics of Large Language Monkeys (Brown et al. 2024): the unbiased pass@k estimator
 * and coverage ({@link org.fewstep.scaling.coverage.PassAtK}), the exponentiated power-law scaling fit
 * ({@link org.fewstep.scaling.coverage.PowerLawFit}) and a selector's accuracy against coverage
 * ({@link org.fewstep.scaling.coverage.VerificationGap}).
 */
package org.fewstep.scaling.coverage;
