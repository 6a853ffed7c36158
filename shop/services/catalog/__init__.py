"""The catalog: products, listings, search, prices, editing, CSV and translations."""
