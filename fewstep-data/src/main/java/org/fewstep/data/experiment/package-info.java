/**
 * Small real experiments of the data-sampling methods (discrete-and-data.md Parts B and C), each a
 * {@code run(Settings)} returning a Markdown table and a CSV; their tables go to docs/benchmarks.md
 * ("Training-data sampling"), and {@link org.fewstep.data.experiment.Experiments} runs each at its
 * documented settings ({@code fewstep bench data NAME}).
 */
package org.fewstep.data.experiment;
