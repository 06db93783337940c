// The API's documentation page (templates/api/docs.html): Swagger UI over the schema named by
// the page. A request tried from the page with the session sends the CSRF token the page
// carries for htmx (base.html), which the API asks of every write made with a session.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("swagger-ui");
    if (!root || typeof SwaggerUIBundle === "undefined") {
      return;
    }
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    SwaggerUIBundle({
      url: root.dataset.schemaUrl,
      domNode: root,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      requestInterceptor: function (request) {
        if (request.method && request.method !== "GET") {
          Object.assign(request.headers, headers);
        }
        return request;
      },
    });
  });
})();
