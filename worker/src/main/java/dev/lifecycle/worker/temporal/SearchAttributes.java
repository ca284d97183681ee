package dev.lifecycle.worker.temporal;

import dev.lifecycle.workflows.LifecycleWorkers;
import io.grpc.StatusRuntimeException;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the custom search attributes the pipeline interpreter upserts ({@code
 * LifecyclePipeline}, {@code LifecycleState}). A run that upserts an unregistered attribute fails
 * its workflow task, so every worker tries this at start; a cluster that refuses (no operator
 * rights, Temporal Cloud) is logged with the Temporal CLI commands that do it, and the worker goes
 * on.
 */
public final class SearchAttributes {
  private static final Logger LOG = LoggerFactory.getLogger(SearchAttributes.class);

  private SearchAttributes() {}

  /** The Temporal CLI commands that register every attribute on a cluster. */
  public static String cliCommands(String namespace) {
    return LifecycleWorkers.searchAttributes().keySet().stream()
        .map(
            name ->
                "temporal operator search-attribute create --namespace "
                    + namespace
                    + " --name "
                    + name
                    + " --type Keyword")
        .collect(Collectors.joining("\n  "));
  }

  /**
   * Registers the attributes {@code namespace} lacks, over the connection of {@code stubs}.
   *
   * @return whether they all exist now; false when the cluster refused (logged, never thrown)
   */
  public static boolean ensure(WorkflowServiceStubs stubs, String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder(stubs.getOptions())
                .validateAndBuildWithDefaults());
    try {
      LifecycleWorkers.registerSearchAttributes(operator, namespace);
      return true;
    } catch (StatusRuntimeException e) {
      LOG.warn(
          "Cannot register the search attributes {} in namespace {} ({}). Runs fail on their first"
              + " workflow task until they exist; register them with:\n  {}",
          LifecycleWorkers.searchAttributes().keySet(),
          namespace,
          e.getStatus(),
          cliCommands(namespace));
      return false;
    } finally {
      operator.shutdown();
      operator.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
