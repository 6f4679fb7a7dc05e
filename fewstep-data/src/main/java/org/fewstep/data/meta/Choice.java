package org.fewstep.data.meta;

/**
 * A selector's answer: the sampler spec and step count whose NFE fits the budget, with the
 * predicted RMSE to the exact endpoint ({@code 10^} the predicted log10 error).
 *
 * @param budget         the NFE budget asked for
 * @param recordedBudget the recorded budget the prediction comes from (the largest at most {@code budget})
 */
public record Choice(String sampler, int steps, int nfe, int budget, int recordedBudget, double predictedRmse) {}
