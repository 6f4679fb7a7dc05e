/**
 * Small real experiments of the data-sampling methods, each a {@code run(Settings)} returning a result with a
 * markdown table and a CSV (discrete-and-data.md Parts B and C).
 */
package org.fewstep.data.experiment;
