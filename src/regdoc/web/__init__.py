"""The department's workspace in the browser: `regdoc serve`.

Starlette under uvicorn, Jinja2 templates rendered on the server (autoescaped), a little vendored htmx, no
front-end build. Every page reads through the application layer (regdoc.app) and the domain packages below it;
no route holds logic the CLI lacks. Modules: server (the ASGI app, security headers, errors), security (sessions,
accounts, CSRF, sign-in limits), language (the interface language per request), pages (the routes), and
templates/ and static/ (package data).
"""
