/**
 * Hand-written SVG charts of an evaluation: ROC and precision-recall curves, confusion heat maps
 * and residual scatter plots.
 */
package dev.lifecycle.activities.evaluation.plot;
