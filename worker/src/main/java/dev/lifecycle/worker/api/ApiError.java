package dev.lifecycle.worker.api;

/**
 * The body of every error response: {@code {"error": "Unknown pipeline 'x'. Known pipelines:
 * [abalone]"}}.
 */
public record ApiError(String error) {}
