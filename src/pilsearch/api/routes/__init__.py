"""One router per resource; :data:`pilsearch.api.app.ROUTERS` lists them in order."""
