"""HTTP resources of the catalog, one blueprint module per resource."""
