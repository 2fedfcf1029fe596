"""The application: configuration, wiring, the router and the messenger adapters."""
