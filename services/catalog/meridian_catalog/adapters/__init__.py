"""The catalog on MongoDB (and FerretDB): documents, repositories, the seat-count read model.

This package is the only catalog code that speaks mongoengine/pymongo or knows FerretDB's gaps.
"""
