from django.views.generic import TemplateView


class ApiDocsView(TemplateView):
    """The API's documentation in the browser: Swagger UI over the schema, from the project's
    own static files and a script file of its own (``static/js/api_docs.js``), so that the page
    keeps the Content-Security-Policy of every page. Open to anyone, as the schema is: it
    describes the API, not its records; trying a request needs a session or a token."""

    template_name = "api/docs.html"
