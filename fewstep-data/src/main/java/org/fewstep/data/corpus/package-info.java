/** Small labelled text sets bundled with fewstep for the data-selection experiments (the fortune files). */
package org.fewstep.data.corpus;
