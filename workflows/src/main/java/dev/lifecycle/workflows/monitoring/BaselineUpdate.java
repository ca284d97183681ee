package dev.lifecycle.workflows.monitoring;

import dev.lifecycle.workflows.activities.ArtifactRef;

/**
 * A new baseline for a running monitor, e.g. after a retrained model is deployed: the monitor
 * checks every later window against it, and the next window starts at the update, so traffic the
 * old model served before it is not held against the new normal.
 *
 * <pre>
 * temporal workflow update execute --workflow-id monitor/fashion --name update-baseline \
 *   --input-file update.json    (a baseline artifact reference and a reason)
 * </pre>
 *
 * @param baseline a directory artifact with {@code statistics.json} and {@code constraints.json}
 * @param reason why, for the monitor's status and log (e.g. the run that deployed a new version)
 */
public record BaselineUpdate(ArtifactRef baseline, String reason) {}
