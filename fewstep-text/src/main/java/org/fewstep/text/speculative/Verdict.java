package org.fewstep.text.speculative;

/**
 * The outcome of verifying one position.
 *
 * @param token    the emitted token
 * @param accepted index of the candidate whose draft goes on (the emitted token is that candidate's
 *                 token), or -1 when the token ends the speculation (a residual draw)
 */
public record Verdict(int token, int accepted) {}
