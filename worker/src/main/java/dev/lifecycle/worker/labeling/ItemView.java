package dev.lifecycle.worker.labeling;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One item as a labeler sees it.
 *
 * @param key the item's key (its row in the job's dataset)
 * @param kind {@code image} (show {@code image}), {@code text} (show {@code text}) or {@code row}
 *     (show {@code fields} as a table)
 * @param image the authenticated URL of the item's PNG, or {@code null}
 * @param text the item's {@code text} column, or {@code null}
 * @param fields the row's other columns, by name (pixels, {@code label} and {@code label_name} are
 *     never shown)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ItemView(
    long key, String kind, String image, String text, Map<String, Object> fields) {
  public ItemView {
    fields = Map.copyOf(fields);
  }
}
