package dev.lifecycle.workflows.activities;

import dev.lifecycle.workflows.activities.MonitoringActivities.CaptureWindow;
import dev.lifecycle.workflows.activities.MonitoringActivities.WindowRequest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The data-capture store's side of monitoring: the default source of a monitor's windows ({@link
 * MonitoringActivities#CAPTURE_WINDOW}).
 */
@ActivityInterface
public interface CaptureActivities {

  /**
   * Exports the inferences of {@code request.deployment()} (an endpoint) captured in the request's
   * time range, with the ground truth posted so far, as a Parquet dataset in the artifact store.
   * Nothing captured gives a window whose {@code data} is null, not a failure.
   */
  @ActivityMethod(name = MonitoringActivities.CAPTURE_WINDOW)
  CaptureWindow window(WindowRequest request);
}
