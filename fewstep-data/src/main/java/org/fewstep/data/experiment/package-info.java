/**
 * The experiments of fewstep-data whose tables go to docs/benchmarks.md ("Training-data sampling");
 * {@link org.fewstep.data.experiment.Experiments} runs each at its documented settings
 * ({@code fewstep bench data NAME}).
 */
package org.fewstep.data.experiment;
