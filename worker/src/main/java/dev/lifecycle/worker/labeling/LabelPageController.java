package dev.lifecycle.worker.labeling;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.net.URI;

/** {@code /label} redirects to the labeling page, {@code /label/index.html}. */
@Controller("/label")
public class LabelPageController {

  /** Redirects to the page. */
  @Get
  public HttpResponse<?> page() {
    return HttpResponse.seeOther(URI.create("/label/index.html"));
  }
}
