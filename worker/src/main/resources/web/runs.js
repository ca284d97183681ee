// Refreshes a run page while the run is live: fetches its main part again every two seconds and
// stops once the run has ended. Plain script, no build step.
(function () {
  var main = document.querySelector("main[data-live]");
  if (!main) {
    return;
  }
  function live(element) {
    var state = element.getAttribute("data-state");
    return state === "RUNNING" || state === "WAITING_APPROVAL";
  }
  function refresh() {
    if (!live(main)) {
      return;
    }
    fetch(main.getAttribute("data-live"), { cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").querySelector("main");
        if (next) {
          main.innerHTML = next.innerHTML;
          main.setAttribute("data-state", next.getAttribute("data-state"));
        }
      })
      .catch(function () {})
      .then(function () {
        setTimeout(refresh, 2000);
      });
  }
  setTimeout(refresh, 2000);
})();
