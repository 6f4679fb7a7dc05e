/**
 * Sample allocation for rejection-sampling fine-tuning (RAFT/EM): GVM (Yao et al., arXiv 2505.02391;
 * ../shared/papers/discrete-and-data.md section 9), a small trainable log-linear reasoner over sums of
 * numbers with an exact verifier, and the RAFT loop that trains it.
 */
package org.fewstep.data.rl;
