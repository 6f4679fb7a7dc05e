/**
 * Training-data subset selection per round: RS2 (Okanovic et al., ICLR 2024; ../shared/papers/
 * discrete-and-data.md section 6) and the learning-rate schedules compressed into its iteration budget;
 * MIG's information-gain selection over a label graph (Chen et al., ACL 2025 Findings; section 7).
 */
package org.fewstep.data.select;
