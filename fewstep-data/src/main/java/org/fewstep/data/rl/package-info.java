/**
 * Sampling the data of reinforcement-style training (../shared/papers/discrete-and-data.md sections 9
 * and 10): GVM's per-prompt sample allocation for rejection-sampling fine-tuning (Yao et al., arXiv
 * 2505.02391) with a small trainable reasoner and the RAFT loop that trains it, and trajectory
 * weighting for mixed offline-RL data sets (Hong et al., ICLR 2023).
 */
package org.fewstep.data.rl;
