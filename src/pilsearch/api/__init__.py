"""The HTTP API and the web page (``pilsearch serve``).

::

    app.py          create_app(settings): lifespan, error handlers, middleware, ROUTERS, web/
    deps.py         SettingsDep, StoreDep, SearchDep, ApiKeyDep, ReadAccessDep (Annotated)
    routes/         one router per resource: search, documents, citations, system
    schemas.py      response models (the contract in api/openapi.json)
    lookup.py       documents reassembled from units; citations resolved to units
    uploads.py      upload checks, save under data_dir/uploads/, ingest
    errors.py       one JSON error shape; the status of every error
    middleware.py   request time limit, upload size limit, security headers
    runtime.py      the model and store the server owns
    server.py       uvicorn runner
    web/            the Chinese search page (plain HTML/CSS/JS)
"""
