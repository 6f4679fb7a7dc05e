/**
 * Training-data subset selection per round: RS2 (Okanovic et al., ICLR 2024; ../shared/papers/
 * discrete-and-data.md section 6) and the learning-rate schedules compressed into its iteration budget.
 */
package org.fewstep.data.select;
