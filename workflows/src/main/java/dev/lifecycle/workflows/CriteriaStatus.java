package dev.lifecycle.workflows;

/**
 * Where a run stands against its pipeline's success criteria, in the {@code status} query.
 *
 * @param criteria the criteria as written, e.g. {@code metric('evaluate.f1') >= param('minF1')}
 * @param state {@link #PENDING} until every metric they read exists, then {@link #MET} or {@link
 *     #NOT_MET}; {@link #NOT_EVALUATED} when the run ended without those metrics
 * @param explanation the values compared, e.g. {@code f1 0.91 >= minF1 0.85}, or what is missing
 */
public record CriteriaStatus(String criteria, String state, String explanation) {
  /** Some metric the criteria read does not exist yet. */
  public static final String PENDING = "PENDING";

  /** The criteria hold. */
  public static final String MET = "MET";

  /** The criteria do not hold. */
  public static final String NOT_MET = "NOT_MET";

  /** The run ended before every metric the criteria read was produced. */
  public static final String NOT_EVALUATED = "NOT_EVALUATED";

  /** Whether the criteria were judged and hold. */
  public boolean met() {
    return MET.equals(state);
  }
}
