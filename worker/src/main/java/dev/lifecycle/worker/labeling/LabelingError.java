package dev.lifecycle.worker.labeling;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error of the labeling API: {@code {"error": "Answer 'cow' to item 4 of job 1 is
 * not in the label schema [cat, dog]", "field": "answer", "item": 4}}. {@code field} names the
 * offending part of the request ({@code token}, {@code job}, {@code item}, {@code answer}, {@code
 * name}, {@code annotators}, {@code reason}), {@code item} the item when one is concerned, and
 * {@code stored} the answer already stored when a second answer is refused.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabelingError(String error, String field, Long item, String stored) {}
