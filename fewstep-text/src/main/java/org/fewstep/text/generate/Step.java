package org.fewstep.text.generate;

import java.util.List;
import org.fewstep.text.LmState;

/**
 * What a decoder produced at one step: the tokens it chose (one for a sampling chain, a span for
 * CNTP), the state after them, and the logits of the next position ({@code null} when the last
 * token was the end of the sequence).
 */
record Step(List<TokenChoice> tokens, LmState state, double[] next) {}
