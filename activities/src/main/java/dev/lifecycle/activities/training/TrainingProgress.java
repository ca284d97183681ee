package dev.lifecycle.activities.training;

import dev.lifecycle.workflows.activities.ArtifactRef;

/**
 * The heartbeat details of a training attempt: how far it got, and the checkpoint a retry resumes
 * from. Sent after every epoch (with a new checkpoint) and at most every heartbeat interval inside
 * an epoch (with the previous one).
 *
 * @param epoch epochs completed; the checkpoint holds the weights after this many
 * @param totalEpochs epochs asked for
 * @param batch batches done in the epoch under way (0 at an epoch's end)
 * @param batchesPerEpoch batches in one epoch
 * @param checkpoint the checkpoint after {@code epoch} epochs, or {@code null} before the first
 * @param trainLoss mean training loss of epoch {@code epoch}, or {@code null} before the first
 * @param validationLoss validation loss after epoch {@code epoch}, or {@code null} without a
 *     validation set or before the first epoch
 * @param elapsedMillis training time so far, summed over attempts
 */
public record TrainingProgress(
    int epoch,
    int totalEpochs,
    int batch,
    int batchesPerEpoch,
    ArtifactRef checkpoint,
    Double trainLoss,
    Double validationLoss,
    long elapsedMillis) {}
