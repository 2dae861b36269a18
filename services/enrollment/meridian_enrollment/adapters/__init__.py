"""MongoDB implementations of the application's ports: the only code that speaks pymongo."""
