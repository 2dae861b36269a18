"""Classroom adapters: the only code that speaks MongoDB (mongoengine/pymongo) or HTTP to
meeting providers, and the only code that knows FerretDB's gaps."""
