"""MongoDB (and later SMTP) implementations of the application ports."""
