/**
 * Experiments of the data samplers, each {@code run(Settings)} to a {@code Result} with a Markdown table and
 * CSV (the CLI runs them as {@code fewstep bench data:NAME}).
 */
package org.fewstep.data.experiment;
