/**
 * MetaInf as a sampler recommender (Du et al., "Meta-Learning for Speeding Up Large Model Inference in
 * Decentralized Environments", arXiv 2410.21340; ../shared/papers/discrete-and-data.md section 15(d)):
 * a performance table of (situation features, sampler spec, NFE budget) measured by fewstep's own
 * diffusion benchmark, learners that predict each sampler's error for an unseen situation (best fixed
 * choice, kNN, ISAC, ALORS, per-candidate regression), and the choice of the best predicted sampler
 * whose NFE fits the budget.
 */
package org.fewstep.data.meta;
