"""What the API routes (digitize/api) and the web pages (digitize/web) share: callers and roles,
errors as responses, the services and queue of the running app, receiving uploads."""
