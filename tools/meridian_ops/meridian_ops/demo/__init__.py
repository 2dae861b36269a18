"""Demo data modelled on real alliance programmes, loaded through the gateway (`meridian demo`)."""
