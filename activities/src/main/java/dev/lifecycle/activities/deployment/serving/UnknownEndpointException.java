package dev.lifecycle.activities.deployment.serving;

import java.util.Collection;

/** No endpoint has the name asked for; the message lists those that exist. */
public final class UnknownEndpointException extends RuntimeException {
  public UnknownEndpointException(String name, Collection<String> known) {
    super("No endpoint named '" + name + "'. Endpoints: " + known);
  }
}
