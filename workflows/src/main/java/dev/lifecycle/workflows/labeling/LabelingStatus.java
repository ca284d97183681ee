package dev.lifecycle.workflows.labeling;

/**
 * What the {@code progress} query of a {@link LabelingWorkflow} returns.
 *
 * @param step the label step
 * @param state the phase
 * @param progress the counts last read from the store, or {@code null} before the first read
 * @param reminders reminders sent so far (over every continued run)
 * @param escalations escalations past the deadline so far
 * @param deadlineAt when the deadline passes (epoch milliseconds), or {@code null}
 * @param closedBy why the job was closed early ({@code close} update or deadline), or {@code null}
 * @param run how many times the workflow continued as new
 * @param retrains fine-tunings of the auto-labeling model so far (the Ground Truth loop)
 */
public record LabelingStatus(
    String step,
    LabelingState state,
    LabelingProgress progress,
    int reminders,
    int escalations,
    Long deadlineAt,
    String closedBy,
    int run,
    int retrains) {}
