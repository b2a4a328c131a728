"""The chief's editor of a draft plan: one module per page, shared machinery in `base`."""
